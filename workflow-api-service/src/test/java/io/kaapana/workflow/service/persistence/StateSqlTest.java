package io.kaapana.workflow.service.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.kaapana.workflow.core.domain.RunState;
import io.kaapana.workflow.service.EmbeddedPostgresResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * Which run states are active is decided by {@link RunState}; the SQL lists are built from it, and
 * the one migration that had to spell them out (the partial label index of V6) must still agree — a
 * new state needs a migration that rebuilds it.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class StateSqlTest {
  @Inject AgroalDataSource dataSource;

  @Test
  void theListsFollowRunStateAndTheActiveRunsIndexAgrees() throws Exception {
    String indexDefinition;
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'runs_active_labels'")) {
      assertThat(rs.next()).isTrue();
      indexDefinition = rs.getString(1);
    }
    for (RunState state : RunState.values()) {
      String quoted = "'" + state.name() + "'";
      if (state.isActive()) {
        assertThat(StateSql.ACTIVE_RUN_STATES).contains(quoted);
        assertThat(StateSql.SETTLED_RUN_STATES).doesNotContain(quoted);
        assertThat(indexDefinition).contains(quoted);
      } else {
        assertThat(StateSql.SETTLED_RUN_STATES).contains(quoted);
        assertThat(StateSql.ACTIVE_RUN_STATES).doesNotContain(quoted);
        assertThat(indexDefinition).doesNotContain(quoted);
      }
    }
  }
}
