package io.kaapana.workflow.client;

import io.kaapana.workflow.client.model.Problem;
import java.util.List;

/**
 * The service answered with an RFC 9457 problem. Subclasses name the kinds a caller usually
 * handles; {@link #code()} names every kind (e.g. {@code title-taken}, {@code lease-lost}).
 */
public class ProblemException extends WorkflowApiClientException {
  private static final long serialVersionUID = 1L;
  private final transient Problem problem;

  public ProblemException(Problem problem) {
    super(describe(problem));
    this.problem = problem;
  }

  private static String describe(Problem problem) {
    StringBuilder text = new StringBuilder().append(problem.status()).append(' ');
    text.append(problem.code() == null ? problem.title() : problem.code());
    if (problem.detail() != null) {
      text.append(": ").append(problem.detail());
    }
    if (problem.errors() != null) {
      for (Problem.FieldError error : problem.errors()) {
        text.append("; ").append(error.pointer()).append(' ').append(error.message());
      }
    }
    return text.toString();
  }

  public Problem problem() {
    return problem;
  }

  public int status() {
    return problem.status();
  }

  /** The problem kind, e.g. {@code invalid-transition}. */
  public String code() {
    return problem.code();
  }

  /** True when the same request may succeed later. */
  public boolean retryable() {
    return Boolean.TRUE.equals(problem.retryable()) || problem.status() == 503;
  }

  /** For input errors: each field that is wrong. */
  public List<Problem.FieldError> fieldErrors() {
    return problem.errors() == null ? List.of() : problem.errors();
  }

  /** Maps a problem to the most specific exception type. */
  static ProblemException of(Problem problem) {
    String code = problem.code() == null ? "" : problem.code();
    return switch (problem.status()) {
      case 400, 413, 415, 422 -> new InvalidRequestException(problem);
      case 404 -> new NotFoundException(problem);
      case 409 ->
          switch (code) {
            case "invalid-transition" -> new InvalidTransitionException(problem);
            case "lease-lost" -> new LeaseLostException(problem);
            default -> new ConflictException(problem);
          };
      case 412 -> new PreconditionFailedException(problem);
      case 502 -> new EngineErrorException(problem);
      case 503 -> new ServiceUnavailableException(problem);
      default -> new ProblemException(problem);
    };
  }

  /** 400, 413, 415 or 422: the request is wrong; {@link #fieldErrors()} says where. */
  public static class InvalidRequestException extends ProblemException {
    private static final long serialVersionUID = 1L;

    public InvalidRequestException(Problem problem) {
      super(problem);
    }
  }

  /** 404. */
  public static class NotFoundException extends ProblemException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(Problem problem) {
      super(problem);
    }
  }

  /** 409: the request conflicts with the current state ({@link #code()} says how). */
  public static class ConflictException extends ProblemException {
    private static final long serialVersionUID = 1L;

    public ConflictException(Problem problem) {
      super(problem);
    }
  }

  /** 409 {@code invalid-transition}: the lifecycle does not allow it now. */
  public static class InvalidTransitionException extends ConflictException {
    private static final long serialVersionUID = 1L;

    public InvalidTransitionException(Problem problem) {
      super(problem);
    }

    /** What the run allows instead. */
    public List<String> allowedActions() {
      return problem().allowedActions() == null ? List.of() : problem().allowedActions();
    }
  }

  /** 409 {@code lease-lost}: another adapter holds the run now; stop working on it. */
  public static class LeaseLostException extends ConflictException {
    private static final long serialVersionUID = 1L;

    public LeaseLostException(Problem problem) {
      super(problem);
    }
  }

  /** 412: the {@code If-Match} ETag is stale; read the object again. */
  public static class PreconditionFailedException extends ProblemException {
    private static final long serialVersionUID = 1L;

    public PreconditionFailedException(Problem problem) {
      super(problem);
    }
  }

  /** 502 {@code engine-error}: the engine behind the adapter failed. */
  public static class EngineErrorException extends ProblemException {
    private static final long serialVersionUID = 1L;

    public EngineErrorException(Problem problem) {
      super(problem);
    }
  }

  /** 503: the service or the adapter behind it cannot serve now; try again later. */
  public static class ServiceUnavailableException extends ProblemException {
    private static final long serialVersionUID = 1L;

    public ServiceUnavailableException(Problem problem) {
      super(problem);
    }
  }
}
