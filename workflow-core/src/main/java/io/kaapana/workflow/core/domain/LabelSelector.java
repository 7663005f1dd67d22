package io.kaapana.workflow.core.domain;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Kubernetes-syntax label selector: requirements joined by commas, all of which must hold.
 *
 * <p>Supported: {@code key=value}, {@code key==value}, {@code key!=value}, {@code key in (a,b)},
 * {@code key notin (a,b)}, {@code key} (exists) and {@code !key} (does not exist). As in
 * Kubernetes, {@code !=} and {@code notin} also match objects that lack the key.
 */
public record LabelSelector(List<Requirement> requirements) {

  public enum Operator {
    EQUALS,
    NOT_EQUALS,
    IN,
    NOT_IN,
    EXISTS,
    DOES_NOT_EXIST
  }

  /** One requirement; {@code values} is empty for the two existence operators. */
  public record Requirement(String key, Operator operator, List<String> values) {
    public Requirement {
      values = List.copyOf(values);
    }

    boolean matches(Map<String, String> labels) {
      String actual = labels.get(key);
      return switch (operator) {
        case EQUALS, IN -> actual != null && values.contains(actual);
        case NOT_EQUALS, NOT_IN -> actual == null || !values.contains(actual);
        case EXISTS -> actual != null;
        case DOES_NOT_EXIST -> actual == null;
      };
    }
  }

  public LabelSelector {
    requirements = List.copyOf(requirements);
  }

  /**
   * Requirements plus listed values one selector may hold; each becomes a query term, and the
   * database takes a bounded number of parameters per statement.
   */
  public static final int MAX_TERMS = 1000;

  public static LabelSelector everything() {
    return new LabelSelector(List.of());
  }

  public static LabelSelector equalTo(String key, String value) {
    return new LabelSelector(List.of(new Requirement(key, Operator.EQUALS, List.of(value))));
  }

  /** Both selectors at once. */
  public LabelSelector and(LabelSelector other) {
    List<Requirement> all = new ArrayList<>(requirements);
    all.addAll(other.requirements);
    return new LabelSelector(all);
  }

  public boolean matches(Labels labels) {
    return matches(labels.asMap());
  }

  public boolean matches(Map<String, String> labels) {
    for (Requirement r : requirements) {
      if (!r.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  public boolean isEmpty() {
    return requirements.isEmpty();
  }

  /**
   * Parses a selector. A null or blank text selects everything.
   *
   * @throws WorkflowApiException {@link ErrorCode#INVALID_LABEL_SELECTOR} naming the position and
   *     what was expected there
   */
  public static LabelSelector parse(String text) {
    if (text == null || text.isBlank()) {
      return everything();
    }
    return new Parser(text).parse();
  }

  /** Renders the selector back in Kubernetes syntax. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    for (Requirement r : requirements) {
      parts.add(
          switch (r.operator()) {
            case EQUALS -> r.key() + "=" + r.values().get(0);
            case NOT_EQUALS -> r.key() + "!=" + r.values().get(0);
            case IN -> r.key() + " in (" + String.join(",", r.values()) + ")";
            case NOT_IN -> r.key() + " notin (" + String.join(",", r.values()) + ")";
            case EXISTS -> r.key();
            case DOES_NOT_EXIST -> "!" + r.key();
          });
    }
    return String.join(",", parts);
  }

  private static final class Parser {
    private final String text;
    private int pos;

    Parser(String text) {
      this.text = text;
    }

    LabelSelector parse() {
      List<Requirement> requirements = new ArrayList<>();
      int terms = 0;
      while (true) {
        skipSpace();
        requirements.add(requirement());
        terms += Math.max(1, requirements.get(requirements.size() - 1).values().size());
        if (terms > MAX_TERMS) {
          throw error("a selector may hold at most " + MAX_TERMS + " requirements and values");
        }
        skipSpace();
        if (pos == text.length()) {
          return new LabelSelector(requirements);
        }
        expect(',', "',' between requirements or the end of the selector");
      }
    }

    private Requirement requirement() {
      if (peek() == '!') {
        pos++;
        skipSpace();
        String key = key();
        return new Requirement(key, Operator.DOES_NOT_EXIST, List.of());
      }
      String key = key();
      skipSpace();
      if (pos == text.length() || peek() == ',') {
        return new Requirement(key, Operator.EXISTS, List.of());
      }
      if (text.startsWith("==", pos)) {
        pos += 2;
        return new Requirement(key, Operator.EQUALS, List.of(value()));
      }
      if (text.startsWith("!=", pos)) {
        pos += 2;
        return new Requirement(key, Operator.NOT_EQUALS, List.of(value()));
      }
      if (peek() == '=') {
        pos++;
        return new Requirement(key, Operator.EQUALS, List.of(value()));
      }
      if (word("notin")) {
        return new Requirement(key, Operator.NOT_IN, valueSet());
      }
      if (word("in")) {
        return new Requirement(key, Operator.IN, valueSet());
      }
      throw error(
          "expected one of '=', '==', '!=', 'in', 'notin', ',' or the end after key '" + key + "'");
    }

    private boolean word(String w) {
      if (text.startsWith(w, pos)) {
        int end = pos + w.length();
        if (end < text.length() && (text.charAt(end) == ' ' || text.charAt(end) == '(')) {
          pos = end;
          return true;
        }
      }
      return false;
    }

    private List<String> valueSet() {
      skipSpace();
      expect('(', "'(' to open the value list");
      Set<String> values = new LinkedHashSet<>();
      skipSpace();
      if (peek() == ')') {
        throw error("the value list must hold at least one value");
      }
      while (true) {
        skipSpace();
        values.add(token("a value", true));
        skipSpace();
        if (peek() == ')') {
          pos++;
          break;
        }
        expect(',', "',' or ')' in the value list");
      }
      return new ArrayList<>(values);
    }

    private String key() {
      int start = pos;
      String key = token("a label key", false);
      Labels.keyProblem(key)
          .ifPresent(
              m -> {
                pos = start;
                throw error(m);
              });
      return key;
    }

    private String value() {
      skipSpace();
      int start = pos;
      String value = token("a value", true);
      Labels.valueProblem(value)
          .ifPresent(
              m -> {
                pos = start;
                throw error(m);
              });
      return value;
    }

    /** Reads up to the next delimiter; values may be empty, keys may not. */
    private String token(String what, boolean mayBeEmpty) {
      int start = pos;
      while (pos < text.length() && !isDelimiter(text.charAt(pos))) {
        pos++;
      }
      if (pos == start && !mayBeEmpty) {
        throw error("expected " + what);
      }
      return text.substring(start, pos);
    }

    private static boolean isDelimiter(char c) {
      return c == ',' || c == '=' || c == '!' || c == '(' || c == ')' || c == ' ';
    }

    private void expect(char c, String what) {
      if (peek() != c) {
        throw error("expected " + what);
      }
      pos++;
    }

    private char peek() {
      return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipSpace() {
      while (pos < text.length() && text.charAt(pos) == ' ') {
        pos++;
      }
    }

    private WorkflowApiException error(String message) {
      String found = pos < text.length() ? "'" + text.charAt(pos) + "'" : "the end";
      return new WorkflowApiException(
          ErrorCode.INVALID_LABEL_SELECTOR,
          "invalid label selector at position " + pos + " (found " + found + "): " + message,
          new ProblemDetails.SelectorPosition(pos));
    }
  }
}
