package io.kaapana.workflow.core.domain;

import java.util.List;
import java.util.Map;

/**
 * The one exception type of the domain. It carries an {@link ErrorCode}, a human detail, field
 * errors for input problems and extra members for the problem document (e.g. {@code
 * allowed_actions}).
 */
public class WorkflowApiException extends RuntimeException {
  private final ErrorCode code;
  private final List<FieldError> errors;
  private final Map<String, Object> extensions;

  public WorkflowApiException(
      ErrorCode code, String detail, List<FieldError> errors, Map<String, Object> extensions) {
    super(detail);
    this.code = code;
    this.errors = List.copyOf(errors);
    this.extensions = Map.copyOf(extensions);
  }

  public WorkflowApiException(ErrorCode code, String detail) {
    this(code, detail, List.of(), Map.of());
  }

  public static WorkflowApiException notFound(String what) {
    return new WorkflowApiException(ErrorCode.NOT_FOUND, what + " does not exist");
  }

  public static WorkflowApiException invalid(ErrorCode code, List<FieldError> errors) {
    String detail =
        errors.size() == 1
            ? errors.get(0).message()
            : errors.size() + " problems in the request; see errors";
    return new WorkflowApiException(code, detail, errors, Map.of());
  }

  public ErrorCode code() {
    return code;
  }

  public List<FieldError> errors() {
    return errors;
  }

  public Map<String, Object> extensions() {
    return extensions;
  }
}
