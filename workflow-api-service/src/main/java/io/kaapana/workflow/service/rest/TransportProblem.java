package io.kaapana.workflow.service.rest;

/**
 * Refusals of the HTTP transport, made before any use case runs: they belong to the web side, not
 * to the core's {@link io.kaapana.workflow.core.domain.ErrorCode}. Same problem+json shape, same
 * stable {@link #slug()}.
 */
public enum TransportProblem {
  PAYLOAD_TOO_LARGE("payload-too-large", 413, false),
  REQUEST_TIMEOUT("request-timeout", 408, true),
  UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, false),
  URI_TOO_LONG("uri-too-long", 414, false),
  HEADERS_TOO_LARGE("headers-too-large", 431, false),
  NOT_ACCEPTABLE("not-acceptable", 406, false),
  METHOD_NOT_ALLOWED("method-not-allowed", 405, false),
  TOO_MANY_STREAMS("too-many-streams", 429, true),
  UNAUTHORIZED("unauthorized", 401, false),
  FORBIDDEN("forbidden", 403, false),
  IDENTITY_PROVIDER_UNAVAILABLE("identity-provider-unavailable", 503, true);

  private final String slug;
  private final int status;
  private final boolean retryable;

  TransportProblem(String slug, int status, boolean retryable) {
    this.slug = slug;
    this.status = status;
    this.retryable = retryable;
  }

  public String slug() {
    return slug;
  }

  public int status() {
    return status;
  }

  public boolean retryable() {
    return retryable;
  }

  /** Thrown where a transport refusal is found outside a filter (a stream over the limit). */
  public static final class Refusal extends RuntimeException {
    private final TransportProblem problem;

    public Refusal(TransportProblem problem, String detail) {
      super(detail, null, false, false);
      this.problem = problem;
    }

    public TransportProblem problem() {
      return problem;
    }
  }
}
