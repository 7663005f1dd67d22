package io.kaapana.workflow.client;

import com.fasterxml.jackson.databind.JavaType;
import io.kaapana.workflow.client.model.CreateWorkflow;
import io.kaapana.workflow.client.model.Page;
import io.kaapana.workflow.client.model.Task;
import io.kaapana.workflow.client.model.ValidationReport;
import io.kaapana.workflow.client.model.Workflow;
import io.kaapana.workflow.client.model.WorkflowRevision;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/** Workflows and their revisions. */
public final class WorkflowsApi {
  private static final JavaType PAGE =
      HttpTransport.JSON.getTypeFactory().constructParametricType(Page.class, Workflow.class);
  private static final JavaType REVISIONS =
      HttpTransport.JSON
          .getTypeFactory()
          .constructParametricType(Page.class, WorkflowRevision.class);
  private static final JavaType TASKS =
      HttpTransport.JSON.getTypeFactory().constructCollectionType(List.class, Task.class);

  private final HttpTransport transport;

  WorkflowsApi(HttpTransport transport) {
    this.transport = transport;
  }

  /**
   * Posts a workflow. Posting the same title, engine and content again returns the existing one, so
   * installers may re-post safely (and this call is re-sent after connection failures).
   */
  public Workflow create(CreateWorkflow workflow) {
    return transport
        .call(HttpTransport.Call.send("POST", "/v1/workflows", workflow, true), Workflow.class)
        .body();
  }

  public Workflow get(UUID id) {
    return transport
        .call(HttpTransport.Call.get("/v1/workflows/" + id, Map.of()), Workflow.class)
        .body();
  }

  /** The workflow and its ETag, for a later {@link #update(UUID, Map, String)}. */
  public Tagged<Workflow> getTagged(UUID id) {
    HttpTransport.Reply<Workflow> reply =
        transport.call(HttpTransport.Call.get("/v1/workflows/" + id, Map.of()), Workflow.class);
    return new Tagged<>(reply.body(), reply.headers().firstValue("ETag").orElse(null));
  }

  public Page<Workflow> list(Query query) {
    return transport
        .<Page<Workflow>>call(HttpTransport.Call.get("/v1/workflows", query.asMap()), PAGE)
        .body();
  }

  /** Every matching workflow, fetching pages as the stream is consumed. */
  public Stream<Workflow> listAll(Query query) {
    return Pages.all(query, this::list);
  }

  /**
   * A JSON merge patch: {@code title} and {@code description} change in place; {@code definition},
   * {@code parameters_schema} or {@code labels} append a revision. {@code ifMatch} may be null.
   */
  public Workflow update(UUID id, Map<String, Object> mergePatch, String ifMatch) {
    HttpTransport.Call call =
        new HttpTransport.Call(
                "PATCH",
                "/v1/workflows/" + id,
                Map.of(),
                mergePatch,
                "application/merge-patch+json",
                Map.of(),
                false,
                null)
            .withHeader("If-Match", ifMatch);
    return transport.call(call, Workflow.class).body();
  }

  /** Archives it: its runs go on, new runs are refused, the title becomes free. */
  public void archive(UUID id) {
    transport.call(HttpTransport.Call.delete("/v1/workflows/" + id), Void.class);
  }

  public Page<WorkflowRevision> revisions(UUID id, Query query) {
    return transport
        .<Page<WorkflowRevision>>call(
            HttpTransport.Call.get("/v1/workflows/" + id + "/revisions", query.asMap()), REVISIONS)
        .body();
  }

  /** Every revision of the workflow, fetching pages as the stream is consumed. */
  public Stream<WorkflowRevision> revisionsAll(UUID id, Query query) {
    return Pages.all(query, q -> revisions(id, q));
  }

  public WorkflowRevision revision(UUID id, int increment) {
    return transport
        .call(
            HttpTransport.Call.get("/v1/workflows/" + id + "/revisions/" + increment, Map.of()),
            WorkflowRevision.class)
        .body();
  }

  /** The task graph of the current revision (empty until an adapter validated it). */
  public List<Task> tasks(UUID id) {
    return transport
        .<List<Task>>call(HttpTransport.Call.get("/v1/workflows/" + id + "/tasks", Map.of()), TASKS)
        .body();
  }

  /** An adapter's verdict on a revision (role {@code adapter}). */
  public WorkflowRevision reportValidation(UUID id, int increment, ValidationReport report) {
    return transport
        .call(
            HttpTransport.Call.send(
                "PUT",
                "/v1/workflows/" + id + "/revisions/" + increment + "/validation",
                report,
                true),
            WorkflowRevision.class)
        .body();
  }
}
