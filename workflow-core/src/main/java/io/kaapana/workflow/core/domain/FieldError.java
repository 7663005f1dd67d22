package io.kaapana.workflow.core.domain;

/**
 * One problem with one part of a request.
 *
 * @param path where the problem lies
 * @param message a sentence for people; {@value #FIELD} in it stands for the name of the path's
 *     last field as the client wrote it ({@code "{field} is required"}), which only the web side
 *     knows
 */
public record FieldError(FieldPath path, String message) {

  /** Stands in a message for the name of the field the error is about. */
  public static final String FIELD = "{field}";

  public FieldError {
    path = path == null ? FieldPath.REQUEST : path;
  }

  /** The same problem, one level further down: the parameters field + a parameter's path. */
  public FieldError under(FieldPath parent) {
    return new FieldError(parent.then(path), message);
  }
}
