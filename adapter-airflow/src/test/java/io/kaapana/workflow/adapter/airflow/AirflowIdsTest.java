package io.kaapana.workflow.adapter.airflow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AirflowIdsTest {
  private static final String WORKFLOW = "01a21990-29A9-7197-b97b-57fb891741e5";

  @Test
  void aDagIdIsTheWorkflowIdAndTheIncrement() {
    assertThat(AirflowIds.dagId(WORKFLOW, 3))
        .isEqualTo("kaapana__01a21990-29a9-7197-b97b-57fb891741e5__v3")
        .matches("[A-Za-z0-9_.-]{1,250}");
  }

  @Test
  void aRecreatedTitleNeverMeetsTheOldDag() {
    assertThat(AirflowIds.dagId("01a21990-0000-7000-8000-000000000001", 1))
        .isNotEqualTo(AirflowIds.dagId(WORKFLOW, 1));
  }

  @Test
  void runIdsAndExternalIdsDeriveFromTheKaapanaRunId() {
    assertThat(AirflowIds.dagRunId("r-1")).isEqualTo("kaapana__r-1");
    assertThat(AirflowIds.runExternalId("dag", "kaapana__r-1")).isEqualTo("dag/kaapana__r-1");
  }

  @Test
  void mappedTaskInstancesHaveTheirMapIndexInTheTitle() {
    assertThat(AirflowIds.taskTitle("convert", -1)).isEqualTo("convert");
    assertThat(AirflowIds.taskTitle("convert", 2)).isEqualTo("convert[2]");
    assertThat(AirflowIds.taskKey("convert[2]")).isEqualTo(new AirflowIds.TaskKey("convert", 2));
    assertThat(AirflowIds.taskKey("convert")).isEqualTo(new AirflowIds.TaskKey("convert", -1));
    assertThat(AirflowIds.taskKey("odd[x]")).isEqualTo(new AirflowIds.TaskKey("odd[x]", -1));
  }

  @Test
  void everyDagIdAndTitlePlaceholderIsReplacedAndAirflowsOwnTemplatesStay() {
    String definition =
        "DAG(dag_id=\"{{ dag_id }}\", dag_display_name=\"{{workflow_title}}\")"
            + "  # also {{dag_id}} and {{  dag_id  }}; {{ ds }}";
    assertThat(AirflowIds.render(definition, "d__1$x", "ct/brain:v2"))
        .isEqualTo(
            "DAG(dag_id=\"d__1$x\", dag_display_name=\"ct/brain:v2\")"
                + "  # also d__1$x and d__1$x; {{ ds }}");
    assertThat(AirflowIds.render("{{ workflow_title }}", "d", null)).isEqualTo("d");
  }
}
