package io.kaapana.workflow.core.domain;

/**
 * Every failure the API can report. The {@link #slug()} is the stable short code of the problem
 * ({@code code} in problem+json, last segment of its {@code type} URI); clients branch on it.
 */
public enum ErrorCode {
  MALFORMED_REQUEST("malformed-request", ErrorKind.USER_ERROR, false),
  INVALID_QUERY("invalid-query", ErrorKind.USER_ERROR, false),
  INVALID_LABEL_SELECTOR("invalid-label-selector", ErrorKind.USER_ERROR, false),
  INVALID_PAGE_TOKEN("invalid-page-token", ErrorKind.USER_ERROR, false),
  VALIDATION_FAILED("validation-failed", ErrorKind.USER_ERROR, false),
  INVALID_PARAMETERS("invalid-parameters", ErrorKind.USER_ERROR, false),
  PAYLOAD_TOO_LARGE("payload-too-large", ErrorKind.USER_ERROR, false),
  REQUEST_TIMEOUT("request-timeout", ErrorKind.USER_ERROR, true),
  UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", ErrorKind.USER_ERROR, false),
  URI_TOO_LONG("uri-too-long", ErrorKind.USER_ERROR, false),
  HEADERS_TOO_LARGE("headers-too-large", ErrorKind.USER_ERROR, false),
  NOT_ACCEPTABLE("not-acceptable", ErrorKind.USER_ERROR, false),
  METHOD_NOT_ALLOWED("method-not-allowed", ErrorKind.USER_ERROR, false),
  PRECONDITION_FAILED("precondition-failed", ErrorKind.CONFLICT, false),
  NOT_FOUND("not-found", ErrorKind.NOT_FOUND, false),
  TITLE_TAKEN("title-taken", ErrorKind.CONFLICT, false),
  WORKFLOW_ARCHIVED("workflow-archived", ErrorKind.CONFLICT, false),
  WORKFLOW_NOT_ARCHIVED("workflow-not-archived", ErrorKind.CONFLICT, false),
  WORKFLOW_HAS_ACTIVE_RUNS("workflow-has-active-runs", ErrorKind.CONFLICT, false),
  DEFINITION_INVALID("definition-invalid", ErrorKind.CONFLICT, false),
  INVALID_TRANSITION("invalid-transition", ErrorKind.CONFLICT, false),
  NOT_SUPPORTED_BY_ENGINE("not-supported-by-engine", ErrorKind.CONFLICT, false),
  LEASE_LOST("lease-lost", ErrorKind.CONFLICT, false),
  IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", ErrorKind.CONFLICT, false),
  ADAPTER_UNAVAILABLE("adapter-unavailable", ErrorKind.UNAVAILABLE, true),
  ENGINE_ERROR("engine-error", ErrorKind.ENGINE, true),
  SERVICE_UNAVAILABLE("service-unavailable", ErrorKind.UNAVAILABLE, true),
  TOO_MANY_STREAMS("too-many-streams", ErrorKind.UNAVAILABLE, true),
  INTERNAL_ERROR("internal-error", ErrorKind.INTERNAL, true);

  private final String slug;
  private final ErrorKind kind;
  private final boolean retryable;

  ErrorCode(String slug, ErrorKind kind, boolean retryable) {
    this.slug = slug;
    this.kind = kind;
    this.retryable = retryable;
  }

  public String slug() {
    return slug;
  }

  public ErrorKind kind() {
    return kind;
  }

  public boolean retryable() {
    return retryable;
  }
}
