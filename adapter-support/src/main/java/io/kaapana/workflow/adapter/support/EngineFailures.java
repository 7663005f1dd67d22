package io.kaapana.workflow.adapter.support;

import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import java.io.IOException;
import java.net.URI;

/**
 * How a failed call to an engine's HTTP API becomes an {@link AdapterException}: one table of
 * statuses, and the same words for an engine that cannot be reached or a call interrupted.
 */
public final class EngineFailures {
  private EngineFailures() {}

  /**
   * The error code of an answer's status: 404 not found; 400, 409 and 422 refused; 401 and 403 a
   * configuration error (credentials, permissions); 429 and 5xx unavailable (retried).
   */
  public static ErrorCode code(int status) {
    return switch (status) {
      case 404 -> ErrorCode.NOT_FOUND;
      case 400, 409, 422 -> ErrorCode.REJECTED;
      case 401, 403 -> ErrorCode.ENGINE_ERROR;
      case 429, 502, 503, 504 -> ErrorCode.UNAVAILABLE;
      default -> status >= 500 ? ErrorCode.UNAVAILABLE : ErrorCode.ENGINE_ERROR;
    };
  }

  /**
   * {@code what} (e.g. {@code GET /api/v1/dags}) answered {@code status}, with the engine's own
   * explanation ({@code detail}, may be empty); {@code hint} is added to a configuration error.
   */
  public static AdapterException answered(String what, int status, String detail, String hint) {
    ErrorCode code = code(status);
    String message =
        what + " answered " + status + (detail == null || detail.isEmpty() ? "" : ": " + detail);
    if (code == ErrorCode.ENGINE_ERROR && status < 500 && hint != null) {
      message += " (" + hint + ")";
    }
    return new AdapterException(code, message);
  }

  /** The engine at {@code url} cannot be reached (connection refused, timeout, TLS). */
  public static AdapterException unreachable(String engine, URI url, IOException e) {
    return new AdapterException(
        ErrorCode.UNAVAILABLE,
        engine
            + " at "
            + url
            + " cannot be reached: "
            + e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"),
        e);
  }

  /** The calling thread was interrupted while waiting for the engine; the flag is kept. */
  public static AdapterException interrupted(String engine, InterruptedException e) {
    Thread.currentThread().interrupt();
    return new AdapterException(ErrorCode.UNAVAILABLE, "interrupted while asking " + engine, e);
  }

  /** A call to an engine. */
  @FunctionalInterface
  public interface EngineCall<T> {
    T call() throws AdapterException;
  }

  /**
   * The call a factory makes in {@code create()} to check the URL and the credentials: any refusal
   * becomes a configuration error (the start stops and says what to fix); an engine that is not up
   * yet stays {@code UNAVAILABLE}, which the runtime retries with backoff as the SPI promises.
   */
  public static <T> T atStart(EngineCall<T> call) throws AdapterException {
    try {
      return call.call();
    } catch (AdapterException e) {
      if (e.code() == ErrorCode.UNAVAILABLE) {
        throw e;
      }
      throw new AdapterException(ErrorCode.INVALID_CONFIG, e.getMessage(), e);
    }
  }
}
