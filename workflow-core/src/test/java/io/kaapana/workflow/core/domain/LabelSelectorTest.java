package io.kaapana.workflow.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelSelectorTest {
  private static final Map<String, String> LABELS =
      Map.of("kaapana.experiment", "liver", "example.org/team", "imaging", "tier", "");

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "kaapana.experiment=liver; true",
        "kaapana.experiment==liver; true",
        "kaapana.experiment!=liver; false",
        "kaapana.experiment!=kidney; true",
        "missing!=x; true",
        "kaapana.experiment in (kidney, liver); true",
        "kaapana.experiment in (kidney); false",
        "missing in (a); false",
        "kaapana.experiment notin (liver); false",
        "missing notin (a); true",
        "example.org/team; true",
        "missing; false",
        "!missing; true",
        "!example.org/team; false",
        "tier=; true",
        "kaapana.experiment=liver,example.org/team=imaging; true",
        "kaapana.experiment=liver,example.org/team=other; false",
        "' kaapana.experiment = liver , !missing '; true"
      })
  void matchesLikeKubernetes(String selector, boolean expected) {
    assertThat(LabelSelector.parse(selector).matches(LABELS)).isEqualTo(expected);
  }

  @Test
  void blankSelectsEverything() {
    assertThat(LabelSelector.parse(null).isEmpty()).isTrue();
    assertThat(LabelSelector.parse("  ").matches(Map.of())).isTrue();
  }

  @Test
  void rendersBackToCanonicalSyntax() {
    LabelSelector selector = LabelSelector.parse("a==1, b in (x,y), !c, d, e notin (z), f!=2");
    assertThat(selector.toString()).isEqualTo("a=1,b in (x,y),!c,d,e notin (z),f!=2");
    assertThat(LabelSelector.parse(selector.toString())).isEqualTo(selector);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "a in (b; 7; expected ',' or ')' in the value list",
        "a in b; 5; expected '(' to open the value list",
        "a in ( ); 7; the value list must hold at least one value",
        "=x; 0; expected a label key",
        "a===b; 3; expected ',' between requirements or the end",
        "a,,b; 2; expected a label key",
        "a b; 2; expected one of '=', '==', '!=', 'in', 'notin'",
        "-bad=x; 0; label key '-bad'",
        "a=b c; 4; expected ',' between requirements",
        "a=~x; 2; label value '~x'"
      })
  void errorsNameThePositionAndWhatWasExpected(String selector, int position, String message) {
    assertThatThrownBy(() -> LabelSelector.parse(selector))
        .isInstanceOfSatisfying(
            WorkflowApiException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_LABEL_SELECTOR);
              assertThat(e.getMessage()).contains("at position " + position).contains(message);
              assertThat(e.details()).contains(new ProblemDetails.SelectorPosition(position));
            });
  }

  @Test
  void aSelectorHasABoundedNumberOfTerms() {
    String thousandValues =
        java.util.stream.IntStream.range(0, 1000)
            .mapToObj(i -> "v" + i)
            .collect(java.util.stream.Collectors.joining(","));
    assertThat(LabelSelector.parse("k in (" + thousandValues + ")").requirements().get(0).values())
        .hasSize(1000);
    assertThatThrownBy(() -> LabelSelector.parse("a,k in (" + thousandValues + ")"))
        .hasMessageContaining("at most 1000");
  }

  @Test
  void andCombinesRequirements() {
    LabelSelector both = LabelSelector.equalTo("a", "1").and(LabelSelector.parse("b"));
    assertThat(both.requirements()).hasSize(2);
    assertThat(both.matches(Map.of("a", "1", "b", "x"))).isTrue();
    assertThat(both.matches(Map.of("a", "1"))).isFalse();
    assertThat(LabelSelector.parse("a in (x,x)").requirements().get(0).values())
        .isEqualTo(List.of("x"));
  }
}
