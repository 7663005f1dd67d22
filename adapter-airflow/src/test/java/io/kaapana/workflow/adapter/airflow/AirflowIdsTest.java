package io.kaapana.workflow.adapter.airflow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AirflowIdsTest {
  private static final String WORKFLOW = "01a21990-29A9-7197-b97b-57fb891741e5";

  @Test
  void aDagIdIsTheReadableTitleTheWorkflowIdAndTheIncrement() {
    assertThat(AirflowIds.dagId("total-segmentator", WORKFLOW, 3))
        .isEqualTo("total-segmentator__01a21990-29a9-7197-b97b-57fb891741e5__v3")
        .matches("[A-Za-z0-9_.-]+");
  }

  @Test
  void aRecreatedTitleNeverMeetsTheOldDag() {
    String old = AirflowIds.dagId("nnunet", WORKFLOW, 1);
    String recreated = AirflowIds.dagId("nnunet", "01a21990-0000-7000-8000-000000000001", 1);
    assertThat(recreated).isNotEqualTo(old);
    assertThat(AirflowIds.dagId("nnunet", WORKFLOW, 1)).as("stable").isEqualTo(old);
  }

  @Test
  void titleCharactersAirflowRefusesBecomeUnderscoresAndLongTitlesAreCut() {
    assertThat(AirflowIds.dagId("ct:brain/v2+fast@site", WORKFLOW, 1))
        .startsWith("ct_brain_v2_fast_site__");
    assertThat(AirflowIds.dagId("...", WORKFLOW, 1)).startsWith("workflow__");
    String longId = AirflowIds.dagId("x".repeat(400), WORKFLOW, 12);
    assertThat(longId).hasSize(250).endsWith("__" + WORKFLOW.toLowerCase() + "__v12");
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
  void everyDagIdPlaceholderIsReplaced() {
    String definition =
        "DAG(dag_id=\"{{ dag_id }}\")  # also {{dag_id}} and {{  dag_id  }}; {{ ds }}";
    assertThat(AirflowIds.render(definition, "d__1$x"))
        .isEqualTo("DAG(dag_id=\"d__1$x\")  # also d__1$x and d__1$x; {{ ds }}");
  }
}
