package io.kaapana.workflow.adapter.argo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Kubernetes label selectors as the stub needs them: {@code k}, {@code !k}, {@code k=v}, {@code
 * k!=v}, {@code k in (a,b)}, {@code k notin (a,b)}, joined by commas.
 */
final class LabelSelector {

  private LabelSelector() {}

  static Predicate<JsonNode> parse(String selector) {
    Predicate<JsonNode> all = labels -> true;
    if (selector == null || selector.isBlank()) {
      return all;
    }
    for (String term : terms(selector)) {
      all = all.and(term(term.strip()));
    }
    return all;
  }

  private static List<String> terms(String selector) {
    List<String> terms = new ArrayList<>();
    int depth = 0;
    StringBuilder current = new StringBuilder();
    for (char c : selector.toCharArray()) {
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      }
      if (c == ',' && depth == 0) {
        terms.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    terms.add(current.toString());
    return terms;
  }

  private static Predicate<JsonNode> term(String term) {
    java.util.regex.Matcher set =
        java.util.regex.Pattern.compile("^(\\S+)\\s+(in|notin)\\s+\\((.*)\\)$").matcher(term);
    if (set.matches()) {
      String key = set.group(1);
      Set<String> values = Set.copyOf(List.of(set.group(3).replace(" ", "").split(",")));
      boolean in = set.group(2).equals("in");
      return labels ->
          labels.has(key) == in && (!in || values.contains(labels.path(key).asText()))
              || (!in && labels.has(key) && !values.contains(labels.path(key).asText()));
    }
    if (term.contains("!=")) {
      String[] kv = term.split("!=", 2);
      return labels -> !labels.path(kv[0].strip()).asText("\u0000").equals(kv[1].strip());
    }
    if (term.contains("=")) {
      String[] kv = term.split("==?", 2);
      return labels ->
          labels.has(kv[0].strip()) && labels.path(kv[0].strip()).asText().equals(kv[1].strip());
    }
    if (term.startsWith("!")) {
      return labels -> !labels.has(term.substring(1).strip());
    }
    return labels -> labels.has(term);
  }
}
