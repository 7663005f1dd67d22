package io.kaapana.workflow.core.domain;

import java.util.List;
import java.util.Optional;

/**
 * The one exception type of the domain. It carries an {@link ErrorCode}, a human detail, field
 * errors for input problems and, for some refusals, {@link ProblemDetails} a client can act on
 * (e.g. the actions a run allows in its state).
 */
public class WorkflowApiException extends RuntimeException {
  private final ErrorCode code;
  private final List<FieldError> errors;
  private final ProblemDetails details;

  /**
   * @param details facts for the client beyond the detail; null when there are none
   */
  public WorkflowApiException(
      ErrorCode code, String detail, List<FieldError> errors, ProblemDetails details) {
    super(detail);
    this.code = code;
    this.errors = List.copyOf(errors);
    this.details = details;
  }

  public WorkflowApiException(ErrorCode code, String detail, ProblemDetails details) {
    this(code, detail, List.of(), details);
  }

  public WorkflowApiException(ErrorCode code, String detail) {
    this(code, detail, List.of(), null);
  }

  public static WorkflowApiException notFound(String what) {
    return new WorkflowApiException(ErrorCode.NOT_FOUND, what + " does not exist");
  }

  public static WorkflowApiException invalid(ErrorCode code, List<FieldError> errors) {
    String detail =
        errors.size() == 1
            ? errors.get(0).message()
            : errors.size() + " problems in the request; see errors";
    return new WorkflowApiException(code, detail, errors, null);
  }

  public ErrorCode code() {
    return code;
  }

  public List<FieldError> errors() {
    return errors;
  }

  public Optional<ProblemDetails> details() {
    return Optional.ofNullable(details);
  }
}
