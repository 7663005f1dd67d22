package io.kaapana.workflow.adapter.argo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArgoNamesTest {
  private static final String WORKFLOW = "01A21990-29a9-7197-b97b-57fb891741e5";
  private static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";

  @Test
  void templateAndWorkflowNamesAreDnsLabelsFromImmutableIds() {
    assertThat(ArgoNames.templateName(WORKFLOW, 12))
        .isEqualTo("kaapana-01a21990-29a9-7197-b97b-57fb891741e5-v12")
        .matches(DNS_LABEL);
    assertThat(ArgoNames.workflowName("01a219b3-244f-70c7-8b47-5d4ff4753b90"))
        .isEqualTo("kaapana-01a219b3-244f-70c7-8b47-5d4ff4753b90")
        .matches(DNS_LABEL);
  }

  @Test
  void validLabelValuesStayAndOthersAreHashedWithinKubernetesLimits() {
    assertThat(ArgoNames.labelValue("exp-7")).isEqualTo("exp-7");
    assertThat(ArgoNames.labelValue("")).isEmpty();
    String path = ArgoNames.labelValue("ct:brain/v2+fast@site");
    assertThat(path).startsWith("ct-brain-v2-fast-site-").hasSize(22 + 12);
    String longValue = ArgoNames.labelValue("x".repeat(64));
    assertThat(longValue).hasSizeLessThanOrEqualTo(63).startsWith("x".repeat(40) + "-");
    assertThat(ArgoNames.labelValue("x".repeat(65))).isNotEqualTo(longValue);
    assertThat(ArgoNames.labelValue("::")).matches("h[0-9a-f]{12}");
    for (String value : new String[] {path, longValue, ArgoNames.labelValue("-a-"), "exp-7"}) {
      assertThat(value).matches("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");
    }
  }

  @Test
  void workflowLabelsCarryTheRunIdAndTheSubmitStringJoinsThem() {
    Map<String, String> run = new LinkedHashMap<>();
    run.put("kaapana.experiment", "exp-7");
    run.put("kaapana.io/workflow-title", "ct:brain");
    Map<String, String> labels = ArgoNames.workflowLabels("r-1", run);
    assertThat(labels)
        .containsEntry("kaapana.experiment", "exp-7")
        .containsEntry(ArgoNames.RUN_ID_LABEL, "r-1");
    assertThat(labels.get("kaapana.io/workflow-title")).startsWith("ct-brain-");
    assertThat(ArgoNames.labelString(Map.of("a", "1"))).isEqualTo("a=1");
    assertThat(ArgoNames.labelString(labels))
        .startsWith("kaapana.experiment=exp-7,kaapana.io/workflow-title=ct-brain-")
        .endsWith(",kaapana.io/run-id=r-1");
  }

  @Test
  void podNamesFollowArgosV2Scheme() {
    // FNV-1a test vectors: "a" -> 0xe40c292c, "hello" -> 0x4f9f2cab.
    assertThat(Integer.toUnsignedString(ArgoNames.fnv32a("a"))).isEqualTo("3826002220");
    assertThat(Integer.toUnsignedString(ArgoNames.fnv32a("hello"))).isEqualTo("1335831723");
    assertThat(ArgoNames.podName("wf", "main", "wf")).isEqualTo("wf");
    assertThat(ArgoNames.podName("wf", "echo", "hello")).isEqualTo("wf-echo-1335831723");
    String longName = ArgoNames.podName("w".repeat(200), "t".repeat(100), "a");
    assertThat(longName).hasSize(253).endsWith("-3826002220");
  }

  @Test
  void parametersAreArgoStringsScalarsAsTheyReadAndObjectsAsJson() {
    assertThat(ArgoAdapter.parameterValue("1.2.840")).isEqualTo("1.2.840");
    assertThat(ArgoAdapter.parameterValue(42L)).isEqualTo("42");
    assertThat(ArgoAdapter.parameterValue(new java.math.BigDecimal("1E+3"))).isEqualTo("1000");
    assertThat(ArgoAdapter.parameterValue(new java.math.BigDecimal("0.25"))).isEqualTo("0.25");
    assertThat(ArgoAdapter.parameterValue(true)).isEqualTo("true");
    assertThat(ArgoAdapter.parameterValue(null)).isEqualTo("");
    assertThat(ArgoAdapter.parameterValue(java.util.List.of("a", 1L))).isEqualTo("[\"a\",1]");
    assertThat(ArgoAdapter.parameterValue(java.util.Map.of("fast", true)))
        .isEqualTo("{\"fast\":true}");
  }
}
