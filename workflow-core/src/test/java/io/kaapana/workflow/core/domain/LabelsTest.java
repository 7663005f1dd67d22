package io.kaapana.workflow.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LabelsTest {
  @ParameterizedTest
  @ValueSource(strings = {"kaapana.experiment", "example.org/team", "a", "A-b_c.d9", "x.y.z/n"})
  void validKeys(String key) {
    assertThat(Labels.keyProblem(key)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-a", "a-", "a b", "Example.org/team", "/name", "org/", "a/b/c", "é"})
  void invalidKeys(String key) {
    assertThat(Labels.keyProblem(key)).isPresent();
  }

  @Test
  void keyNameIsAtMost63Characters() {
    assertThat(Labels.keyProblem("a".repeat(63))).isEmpty();
    assertThat(Labels.keyProblem("a".repeat(64))).isPresent();
  }

  @Test
  void valuesAllowTheContractCharactersOrEmpty() {
    assertThat(Labels.valueProblem("")).isEmpty();
    assertThat(Labels.valueProblem("user@site:run/1+2_x.y-z")).isEmpty();
    assertThat(Labels.valueProblem("a b")).isPresent();
    assertThat(Labels.valueProblem("x".repeat(256))).isPresent();
    assertThat(Labels.valueProblem(null)).isPresent();
  }

  @Test
  void aRequestCarriesAtMost64LabelsOf16KiBInAll() {
    Map<String, String> many = new java.util.HashMap<>();
    for (int i = 0; i < 64; i++) {
      many.put("k" + i, "v");
    }
    assertThat(Labels.fromClient(many, FieldPath.of("labels")).asMap()).hasSize(64);
    many.put("one-more", "v");
    assertThatThrownBy(() -> Labels.fromClient(many, FieldPath.of("labels")))
        .isInstanceOfSatisfying(
            WorkflowApiException.class,
            e -> {
              assertThat(e.errors()).hasSize(1);
              assertThat(e.errors().get(0).path()).isEqualTo(FieldPath.of("labels"));
              assertThat(e.errors().get(0).message()).contains("at most 64 labels", "got 65");
            });
    Map<String, String> large = new java.util.HashMap<>();
    for (int i = 0; i < 63; i++) {
      large.put("key-" + i, "v".repeat(255));
    }
    assertThatThrownBy(() -> Labels.fromClient(large, FieldPath.of("labels")))
        .isInstanceOfSatisfying(
            WorkflowApiException.class,
            e -> assertThat(e.errors().get(0).message()).contains("at most 16384 characters"));
  }

  @Test
  void clientsCannotSetSystemLabels() {
    assertThatThrownBy(
            () -> Labels.fromClient(Map.of("kaapana.io/revision", "1"), FieldPath.of("labels")))
        .isInstanceOfSatisfying(
            WorkflowApiException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
              assertThat(e.errors())
                  .extracting(FieldError::path)
                  .containsExactly(FieldPath.of("labels").key("kaapana.io/revision"));
            });
  }

  @Test
  void immutableLabelsMayBeAddedButNotChangedOrRemoved() {
    Labels before = Labels.trusted(Map.of("kaapana.immutable.project", "p1", "free", "a"));
    Labels.checkImmutableKept(
        before,
        Labels.trusted(Map.of("kaapana.immutable.project", "p1", "kaapana.immutable.x", "y")),
        FieldPath.of("labels"));
    assertThatThrownBy(
            () ->
                Labels.checkImmutableKept(
                    before,
                    Labels.trusted(Map.of("kaapana.immutable.project", "p2")),
                    FieldPath.of("labels")))
        .hasMessageContaining("cannot change from 'p1' to 'p2'");
    assertThatThrownBy(
            () ->
                Labels.checkImmutableKept(
                    before, Labels.trusted(Map.of("free", "b")), FieldPath.of("labels")))
        .hasMessageContaining("cannot be removed");
  }

  @Test
  void overlayPrefersTheOtherSide() {
    Labels merged =
        Labels.trusted(Map.of("a", "1", "b", "2")).overlay(Labels.trusted(Map.of("b", "3")));
    assertThat(merged.asMap()).isEqualTo(Map.of("a", "1", "b", "3"));
    assertThat(Labels.trusted(Map.of("kaapana.io/x", "1", "y", "2")).withoutSystemLabels().asMap())
        .isEqualTo(Map.of("y", "2"));
  }
}
