package io.kaapana.workflow.service.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransactionException;
import jakarta.transaction.HeuristicMixedException;
import jakarta.transaction.SystemException;
import java.sql.SQLException;
import javax.transaction.xa.XAException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/** Which failures are an unavailable database (503, retry) rather than a bug (500). */
class DatabaseFaultsTest {
  @Test
  void aCommitWhoseConnectionDiedIsUnavailableThoughTheDriverErrorIsOnlySuppressed() {
    // What the transaction manager throws when the one-phase commit's connection breaks: a
    // heuristic outcome with no cause, the resource's XAException (caused by the driver's error)
    // attached as a suppressed throwable. Seen as a 500 in CI before suppressed ones were searched.
    XAException resource = new XAException("Error trying to transactionCommit local transaction");
    resource.initCause(
        new PSQLException(
            "An I/O error occurred while sending to the backend.", PSQLState.CONNECTION_FAILURE));
    HeuristicMixedException heuristic = new HeuristicMixedException();
    heuristic.addSuppressed(resource);

    assertThat(DatabaseFaults.isUnavailable(new QuarkusTransactionException(heuristic))).isTrue();
  }

  @Test
  void connectionAndServerStatesAreUnavailable() {
    assertThat(DatabaseFaults.isUnavailable(new SQLException("gone", "08006"))).isTrue();
    assertThat(DatabaseFaults.isUnavailable(new SQLException("in recovery", "57P03"))).isTrue();
    assertThat(
            DatabaseFaults.isUnavailable(
                new RuntimeException(new SQLException("Sorry, acquisition timeout!"))))
        .isTrue();
    assertThat(DatabaseFaults.isUnavailable(new java.net.ConnectException("refused"))).isTrue();
  }

  @Test
  void otherFailuresAreNot() {
    assertThat(DatabaseFaults.isUnavailable(new SQLException("duplicate", "23505"))).isFalse();
    assertThat(DatabaseFaults.isUnavailable(new HeuristicMixedException())).isFalse();
    assertThat(DatabaseFaults.isUnavailable(new IllegalStateException("a bug"))).isFalse();
  }

  @Test
  void aLostConnectionTheTransactionManagerReportsWithoutItsCauseCameFromTheDatabase() {
    // Narayana throws a SystemException without a cause when it cannot enlist a connection whose
    // server went away; Agroal wraps it in an SQLException without a state. Only a check of the
    // database itself can tell an outage here (DatabaseReachability).
    SQLException enlist =
        new SQLException(
            "Exception in association of connection to existing transaction",
            new SystemException("ARJUNA016083: could not register the resource"));

    assertThat(DatabaseFaults.isUnavailable(enlist)).isFalse();
    assertThat(DatabaseFaults.cameFromTheDatabase(new RuntimeException(enlist))).isTrue();
    assertThat(DatabaseFaults.cameFromTheDatabase(new IllegalStateException("a bug"))).isFalse();
  }

  @Test
  void aCycleOfCausesAndSuppressedThrowablesEnds() {
    RuntimeException a = new RuntimeException("a");
    RuntimeException b = new RuntimeException("b", a);
    a.addSuppressed(b);
    assertThat(DatabaseFaults.isUnavailable(b)).isFalse();
    assertThat(DatabaseFaults.cameFromTheDatabase(b)).isFalse();
  }
}
