package io.kaapana.workflow.adapter.spi;

/**
 * The one exception adapters throw. The code tells the runtime what to do: retry later, report the
 * run as failed, or give up on the request.
 */
public class AdapterException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What went wrong, and whether trying again later can help. */
  public enum ErrorCode {
    /** The engine cannot be reached or is overloaded (timeouts, connection refused, 5xx, 429). */
    UNAVAILABLE(true),
    /** The engine failed in a way that retrying the same call will not fix. */
    ENGINE_ERROR(false),
    /** The engine refused the definition or the parameters: the run ends in ERROR. */
    REJECTED(false),
    /** The engine does not know the run, task, attempt or definition. */
    NOT_FOUND(false),
    /** The adapter does not declare the capability this call needs. */
    UNSUPPORTED(false),
    /** The request is not valid for this adapter (a malformed cursor, an unknown task). */
    INVALID_REQUEST(false),
    /** The adapter's configuration is unusable. */
    INVALID_CONFIG(false);

    private final boolean retryable;

    ErrorCode(boolean retryable) {
      this.retryable = retryable;
    }

    public boolean retryable() {
      return retryable;
    }
  }

  private final ErrorCode code;

  public AdapterException(ErrorCode code, String message) {
    this(code, message, null);
  }

  public AdapterException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  public boolean retryable() {
    return code.retryable();
  }

  public static AdapterException unsupported(Capability capability) {
    return new AdapterException(
        ErrorCode.UNSUPPORTED, "this adapter does not support " + capability);
  }
}
