package io.kaapana.workflow.core.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
  @Test
  void keyOrderAndNumberSpellingDoNotChangeTheHash() {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("b", 1);
    a.put("a", List.of(1.0, "x\n\"y\""));
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("a", List.of(1, "x\n\"y\""));
    b.put("b", 1.00);
    assertThat(CanonicalJson.write(a)).isEqualTo("{\"a\":[1,\"x\\n\\\"y\\\"\"],\"b\":1}");
    assertThat(CanonicalJson.sha256(a)).isEqualTo(CanonicalJson.sha256(b)).hasSize(64);
  }

  @Test
  void hugeAndNonFiniteNumbersHashWithoutFailing() {
    assertThat(CanonicalJson.write(Map.of("a", new java.math.BigDecimal("1E+400"))))
        .isEqualTo("{\"a\":1E+400}");
    assertThat(CanonicalJson.write(List.of(100, 100.0, new java.math.BigDecimal("1E+2"))))
        .isEqualTo("[1E+2,1E+2,1E+2]");
    assertThat(CanonicalJson.write(List.of(Double.POSITIVE_INFINITY, Double.NaN)))
        .isEqualTo("[\"Infinity\",\"NaN\"]");
  }

  @Test
  void differentContentHashesDifferently() {
    assertThat(CanonicalJson.sha256(Map.of("a", 1)))
        .isNotEqualTo(CanonicalJson.sha256(Map.of("a", 2)));
    assertThat(CanonicalJson.write(Map.of("x", 0.5, "n", List.of())))
        .isEqualTo("{\"n\":[],\"x\":0.5}");
  }

  @Test
  void specHashIgnoresSystemLabels() {
    Labels client = Labels.trusted(Map.of("team", "a"));
    Labels withSystem = client.overlay(Labels.trusted(Map.of("kaapana.io/workflow-id", "x")));
    Map<String, Object> schema = Map.of("type", "object");
    assertThat(WorkflowRevision.specHash("d", schema, client))
        .isEqualTo(WorkflowRevision.specHash("d", schema, withSystem));
    assertThat(WorkflowRevision.specHash("d", schema, client))
        .isNotEqualTo(WorkflowRevision.specHash("e", schema, client));
  }

  @Test
  void mergePatchFollowsRfc7396() {
    Map<String, Object> target =
        new LinkedHashMap<>(Map.of("a", "b", "c", Map.of("d", "e", "f", "g")));
    Map<String, Object> patch = new LinkedHashMap<>();
    patch.put("a", "z");
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("f", null);
    patch.put("c", inner);
    assertThat(MergePatch.apply(target, patch)).isEqualTo(Map.of("a", "z", "c", Map.of("d", "e")));
    assertThat(MergePatch.apply(target, List.of(1))).isEqualTo(List.of(1));
  }

  @Test
  void uuidV7IsTimeOrdered() {
    var clock =
        java.time.Clock.fixed(
            java.time.Instant.parse("2026-11-26T17:00:00Z"), java.time.ZoneOffset.UTC);
    var id = UuidV7.next(clock);
    assertThat(id.version()).isEqualTo(7);
    assertThat(id.variant()).isEqualTo(2);
    assertThat(id.getMostSignificantBits() >>> 16).isGreaterThanOrEqualTo(clock.millis());
  }

  @Test
  void uuidV7FromOneMillisecondStillSortsInCreationOrder() {
    var clock =
        java.time.Clock.fixed(
            java.time.Instant.parse("2026-11-26T17:00:00Z"), java.time.ZoneOffset.UTC);
    java.util.List<java.util.UUID> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      ids.add(UuidV7.next(clock));
    }
    assertThat(ids)
        .isSortedAccordingTo(java.util.Comparator.comparing(java.util.UUID::toString))
        .doesNotHaveDuplicates();
  }
}
