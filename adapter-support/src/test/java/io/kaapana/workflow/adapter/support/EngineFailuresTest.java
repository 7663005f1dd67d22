package io.kaapana.workflow.adapter.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import java.io.IOException;
import java.net.URI;
import org.junit.jupiter.api.Test;

class EngineFailuresTest {
  @Test
  void statusesMapToOneTableOfErrorCodes() {
    assertThat(EngineFailures.code(404)).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(EngineFailures.code(409)).isEqualTo(ErrorCode.REJECTED);
    assertThat(EngineFailures.code(403)).isEqualTo(ErrorCode.ENGINE_ERROR);
    assertThat(EngineFailures.code(429)).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(EngineFailures.code(500)).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(EngineFailures.code(418)).isEqualTo(ErrorCode.ENGINE_ERROR);
  }

  @Test
  void messagesSayWhatAnsweredWhatAndHintAtCredentialsOnlyForConfigurationErrors() {
    AdapterException forbidden =
        EngineFailures.answered("GET /api/v1/dags", 403, "forbidden", "check the credentials");
    assertThat(forbidden.getMessage())
        .isEqualTo("GET /api/v1/dags answered 403: forbidden (check the credentials)");
    assertThat(EngineFailures.answered("GET /x", 503, "", "check").getMessage())
        .isEqualTo("GET /x answered 503");
    assertThat(
            EngineFailures.unreachable(
                    "Airflow", URI.create("http://airflow:8080"), new IOException("refused"))
                .getMessage())
        .isEqualTo("Airflow at http://airflow:8080 cannot be reached: IOException (refused)");
  }

  @Test
  void anInterruptedCallKeepsTheInterrupt() {
    AdapterException e = EngineFailures.interrupted("argo-server", new InterruptedException());
    assertThat(e.retryable()).isTrue();
    assertThat(Thread.interrupted()).isTrue(); // and clears it for the next test
  }
}
