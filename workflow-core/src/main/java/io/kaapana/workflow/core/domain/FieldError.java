package io.kaapana.workflow.core.domain;

/** One problem with one part of a request, located by a JSON pointer (RFC 6901). */
public record FieldError(String pointer, String message) {
  public FieldError {
    pointer = pointer == null ? "" : pointer;
  }

  /** Prefixes the pointer, e.g. {@code /parameters} + {@code /age}. */
  public FieldError under(String parentPointer) {
    return new FieldError(parentPointer + pointer, message);
  }
}
