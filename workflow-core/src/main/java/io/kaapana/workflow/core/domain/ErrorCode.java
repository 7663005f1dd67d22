package io.kaapana.workflow.core.domain;

/**
 * Every failure a use case can report. The {@link #slug()} is the stable short code of the problem
 * ({@code code} in problem+json, last segment of its {@code type} URI); clients branch on it.
 * Refusals of the transport (a body too large, a media type, too many streams) are the web side's.
 */
public enum ErrorCode {
  MALFORMED_REQUEST("malformed-request", false),
  INVALID_QUERY("invalid-query", false),
  INVALID_LABEL_SELECTOR("invalid-label-selector", false),
  INVALID_PAGE_TOKEN("invalid-page-token", false),
  VALIDATION_FAILED("validation-failed", false),
  INVALID_PARAMETERS("invalid-parameters", false),
  PRECONDITION_FAILED("precondition-failed", false),
  NOT_FOUND("not-found", false),
  TITLE_TAKEN("title-taken", false),
  WORKFLOW_ARCHIVED("workflow-archived", false),
  WORKFLOW_NOT_ARCHIVED("workflow-not-archived", false),
  WORKFLOW_HAS_ACTIVE_RUNS("workflow-has-active-runs", false),
  DEFINITION_INVALID("definition-invalid", false),
  INVALID_TRANSITION("invalid-transition", false),
  NOT_SUPPORTED_BY_ENGINE("not-supported-by-engine", false),
  LEASE_LOST("lease-lost", false),
  ADAPTER_ID_TAKEN("adapter-id-taken", false),
  IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", false),
  ADAPTER_UNAVAILABLE("adapter-unavailable", true),
  ENGINE_ERROR("engine-error", true),
  SERVICE_UNAVAILABLE("service-unavailable", true),
  INTERNAL_ERROR("internal-error", true);

  private final String slug;
  private final boolean retryable;

  ErrorCode(String slug, boolean retryable) {
    this.slug = slug;
    this.retryable = retryable;
  }

  public String slug() {
    return slug;
  }

  public boolean retryable() {
    return retryable;
  }
}
