package io.kaapana.workflow.service.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OperationsLogLineTest {
  @Test
  void plainValuesStandAloneAndOthersAreQuotedAndEscaped() {
    String line =
        OperationsLog.line(
            "adapter.lost",
            OperationsLog.fields(
                "adapter_id", "airflow-1", "detail", "a \"b\"=c\r\nFORGED", "empty", ""));
    assertThat(line)
        .isEqualTo(
            "adapter.lost adapter_id=airflow-1 detail=\"a \\\"b\\\"=c\\u000d\\u000aFORGED\""
                + " empty=\"\"");
  }
}
