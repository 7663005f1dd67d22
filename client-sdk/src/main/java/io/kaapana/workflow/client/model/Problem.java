package io.kaapana.workflow.client.model;

import java.util.List;

/** An RFC 9457 problem document. */
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    String code,
    Boolean retryable,
    List<FieldError> errors,
    List<String> allowedActions) {
  /** An input error: where in the request (a JSON pointer), and what is wrong. */
  public record FieldError(String pointer, String message) {}
}
