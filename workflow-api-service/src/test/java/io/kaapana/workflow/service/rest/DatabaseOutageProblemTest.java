package io.kaapana.workflow.service.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaapana.workflow.service.persistence.DatabaseReachability;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.transaction.SystemException;
import jakarta.ws.rs.core.Response;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A failure from the database layer that does not say why (the transaction manager could not enlist
 * a connection) is a 503 while the database cannot be reached, and stays a 500 — a bug to look into
 * — while it answers. Checked against a real PostgreSQL, running and stopped.
 */
class DatabaseOutageProblemTest {
  private static final SQLException ENLIST_FAILED =
      new SQLException(
          "Exception in association of connection to existing transaction",
          new SystemException("ARJUNA016083: could not register the resource"));

  @Test
  void aFailureWithoutCauseIs503WhileTheDatabaseIsDownAnd500WhileItAnswers() throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
      String url = postgres.getJdbcUrl("postgres", "postgres");
      Response whileUp = mapperFor(url).unexpected(ENLIST_FAILED, null);
      assertThat(whileUp.getStatus()).isEqualTo(500);

      postgres.close();
      Response whileDown = mapperFor(url).unexpected(ENLIST_FAILED, null);
      assertThat(whileDown.getStatus()).isEqualTo(503);
      assertThat(whileDown.getHeaderString("Retry-After")).isEqualTo("5");
      assertThat(whileDown.getEntity().toString()).contains("service-unavailable");
    }
  }

  @Test
  void aFailureOutsideTheDatabaseLayerStays500WhateverTheDatabaseDoes() throws Exception {
    Response r = mapperFor(closedPortUrl()).unexpected(new IllegalStateException("a bug"), null);
    assertThat(r.getStatus()).isEqualTo(500);
  }

  private static ProblemMapper mapperFor(String url) {
    ProblemMapper mapper = new ProblemMapper();
    mapper.database =
        new DatabaseReachability(Optional.of(url), Optional.of("postgres"), Optional.empty());
    return mapper;
  }

  private static String closedPortUrl() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }
}
