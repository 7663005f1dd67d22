package io.kaapana.workflow.client;

/**
 * A call to the Workflow API failed: the service could not be reached, timed out, or answered with
 * something that is not the API (see {@link ProblemException} for the API's own errors).
 */
public class WorkflowApiClientException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WorkflowApiClientException(String message, Throwable cause) {
    super(message, cause);
  }

  public WorkflowApiClientException(String message) {
    super(message);
  }
}
