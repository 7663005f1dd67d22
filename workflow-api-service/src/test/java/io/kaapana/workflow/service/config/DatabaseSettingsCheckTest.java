package io.kaapana.workflow.service.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The service starts only on a configured database; the message names the three settings. */
class DatabaseSettingsCheckTest {
  @Test
  void withoutAUrlTheStartIsRefusedWithTheSettingsToSet() {
    for (Optional<String> url : java.util.List.of(Optional.<String>empty(), Optional.of(" "))) {
      assertThatThrownBy(() -> new DatabaseSettingsCheck(url).check(null))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("QUARKUS_DATASOURCE_JDBC_URL")
          .hasMessageContaining("QUARKUS_DATASOURCE_USERNAME")
          .hasMessageContaining("QUARKUS_DATASOURCE_PASSWORD")
          .hasMessageContaining("config/application.properties");
    }
  }

  @Test
  void aConfiguredUrlLetsItStart() {
    assertThatCode(
            () ->
                new DatabaseSettingsCheck(Optional.of("jdbc:postgresql://db:5432/workflows"))
                    .check(null))
        .doesNotThrowAnyException();
  }
}
