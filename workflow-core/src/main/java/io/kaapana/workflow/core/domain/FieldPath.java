package io.kaapana.workflow.core.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * Where in a request a problem lies, in the domain's words: a field by its Java name ({@code
 * leaseToken}), an entry of a map by its key ({@code kaapana.experiment}), an element of a list by
 * its position. The web side writes it in the wire's syntax and naming (a JSON pointer such as
 * {@code /task_runs/0/lease_token}); the core knows neither.
 */
public record FieldPath(List<Step> steps) {

  /** One step down into a request. */
  public sealed interface Step permits Field, Key, Index {}

  /** A field of the domain's own, by its Java name; the web side names it as its wire does. */
  public record Field(String name) implements Step {}

  /** An entry of a map whose keys are the user's (labels, parameters), taken as written. */
  public record Key(String key) implements Step {}

  /** An element of a list, from 0. */
  public record Index(int position) implements Step {}

  /** The request as a whole. */
  public static final FieldPath REQUEST = new FieldPath(List.of());

  public FieldPath {
    steps = List.copyOf(steps);
  }

  /** A field of the request, e.g. {@code of("labels")}. */
  public static FieldPath of(String field) {
    return REQUEST.field(field);
  }

  public FieldPath field(String name) {
    return with(new Field(name));
  }

  public FieldPath key(String key) {
    return with(new Key(key));
  }

  public FieldPath index(int position) {
    return with(new Index(position));
  }

  /**
   * This path followed by {@code rest}, e.g. the parameters field followed by a parameter's path.
   */
  public FieldPath then(FieldPath rest) {
    List<Step> all = new ArrayList<>(steps);
    all.addAll(rest.steps);
    return new FieldPath(all);
  }

  private FieldPath with(Step step) {
    List<Step> all = new ArrayList<>(steps);
    all.add(step);
    return new FieldPath(all);
  }
}
