package io.kaapana.workflow.service.rest;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;

/**
 * Completes the generated document with the contract's error responses: the {@code Problem} schema
 * (RFC 9457) and, per operation, the problem statuses it can answer. One table here instead of the
 * same annotations on every resource method.
 */
public class OpenApiContract implements OASFilter {
  private static final String PROBLEM_REF = "#/components/schemas/Problem";

  /** Statuses beyond 400, 414, 431, 500 and 503 (which every operation can answer). */
  private static final Map<String, List<Integer>> PROBLEMS =
      Map.ofEntries(
          Map.entry("POST /v1/workflows", List.of(409, 422)),
          Map.entry("GET /v1/workflows/{id}", List.of(404)),
          Map.entry("PATCH /v1/workflows/{id}", List.of(404, 409, 412, 422)),
          Map.entry("DELETE /v1/workflows/{id}", List.of(404, 412)),
          Map.entry("GET /v1/workflows/{id}/revisions", List.of(404)),
          Map.entry("GET /v1/workflows/{id}/revisions/{increment}", List.of(404)),
          Map.entry("GET /v1/workflows/{id}/tasks", List.of(404)),
          Map.entry("PUT /v1/workflows/{id}/revisions/{increment}/validation", List.of(404, 422)),
          Map.entry("POST /v1/workflow-runs", List.of(404, 409, 422)),
          Map.entry("GET /v1/workflow-runs/{id}", List.of(404)),
          Map.entry("POST /v1/workflow-runs/{id}/events", List.of(404, 409, 412, 422)),
          Map.entry("GET /v1/workflow-runs/{id}/events", List.of(404)),
          Map.entry("GET /v1/events", List.of(429)),
          Map.entry("GET /v1/workflow-runs/{id}/task-runs", List.of(404)),
          Map.entry("GET /v1/workflow-runs/{id}/task-runs/{taskRunId}", List.of(404)),
          Map.entry(
              "POST /v1/workflow-runs/{id}/task-runs/{taskRunId}/events", List.of(404, 409, 422)),
          Map.entry(
              "GET /v1/workflow-runs/{id}/task-runs/{taskRunId}/logs", List.of(404, 429, 502)),
          Map.entry("POST /v1/workflow-runs/{id}/status", List.of(404, 409, 422)),
          Map.entry("POST /v1/bulk/workflow-run-events", List.of(422)),
          Map.entry("PUT /v1/adapters/{adapterId}", List.of(409, 422)),
          Map.entry("DELETE /v1/adapters/{adapterId}", List.of(404, 409)),
          Map.entry("POST /v1/adapters/{adapterId}/claims", List.of(404, 409, 422)),
          Map.entry("POST /v1/admin/purge", List.of(422)),
          Map.entry("DELETE /v1/admin/workflows/{id}", List.of(404, 409)),
          Map.entry("PATCH /v1/admin/workflow-runs/{id}", List.of(404, 422)),
          Map.entry("PATCH /v1/admin/workflows/{id}", List.of(404, 409, 422)));

  /**
   * Properties of answers that are {@code null} when there is nothing to say (the API writes them
   * as null rather than leaving them out). Every schema and property named here must exist: a
   * renamed field fails the document's test instead of silently losing its nullability.
   */
  private static final Map<String, List<String>> NULLABLE =
      Map.ofEntries(
          Map.entry("Adapter", List.of("endpoint_url", "version", "last_seen_at")),
          Map.entry(
              "WorkflowRun",
              List.of(
                  "requested_action",
                  "status_message",
                  "external_id",
                  "adapter_id",
                  "started_at",
                  "finished_at")),
          Map.entry(
              "ClaimedWorkflowRun",
              List.of(
                  "requested_action",
                  "status_message",
                  "external_id",
                  "adapter_id",
                  "started_at",
                  "finished_at",
                  "action_request",
                  "traceparent")),
          Map.entry(
              "TaskRun", List.of("external_id", "status_message", "started_at", "finished_at")),
          Map.entry("ActionRequest", List.of("scope", "task_title", "reason")),
          Map.entry("Event", List.of("workflow_run_id", "from", "to", "data")),
          Map.entry("EventPage", List.of("next_page_token")),
          Map.entry("PageDtoAuditEntry", List.of("next_page_token")),
          Map.entry("PageDtoRevisionDto", List.of("next_page_token")),
          Map.entry("PageDtoRunDto", List.of("next_page_token")),
          Map.entry("PageDtoTaskRunDto", List.of("next_page_token")),
          Map.entry("PageDtoWorkflowDto", List.of("next_page_token")),
          Map.entry("LogPage", List.of("next_cursor")),
          Map.entry("LogLine", List.of("time", "metadata")),
          Map.entry("Workflow", List.of("description")),
          Map.entry("WorkflowRevision", List.of("engine_ref")),
          Map.entry("Validation", List.of("validated_at", "adapter_id")),
          Map.entry("Task", List.of("display_name", "type")),
          Map.entry("CallerIdentity", List.of("client_id", "projects")),
          Map.entry(
              "AuditEntry",
              List.of(
                  "reason", "before", "after", "object_id", "actor_subject", "actor_client_id")));

  private static final Map<Integer, String> DESCRIPTIONS =
      Map.ofEntries(
          Map.entry(
              400,
              "Malformed body, unknown field, wrong type, bad query parameter, selector or page"
                  + " token"),
          Map.entry(404, "No such object"),
          Map.entry(
              408, "The body did not arrive in time (request-timeout); the connection closes"),
          Map.entry(
              409,
              "Conflict with the object's state (see code: invalid-transition, title-taken,"
                  + " lease-lost, …)"),
          Map.entry(412, "If-Match does not match the current ETag"),
          Map.entry(413, "The body is larger than 2 MiB (payload-too-large)"),
          Map.entry(
              414,
              "The URL is longer than 16,384 characters (uri-too-long); the connection closes."
                  + " Beyond 64 KiB the HTTP decoder answers 414 with an empty body"),
          Map.entry(415, "The body has no Content-Type, or it is not JSON"),
          Map.entry(422, "Well-formed but invalid content; errors[] point into the request"),
          Map.entry(
              431,
              "The headers are larger than 20 KiB (headers-too-large); the connection closes."
                  + " Beyond 64 KiB the HTTP decoder answers 431 with an empty body"),
          Map.entry(
              429,
              "This instance has its limit of open streams (too-many-streams); retry after"
                  + " Retry-After"),
          Map.entry(
              401,
              "No bearer token, or one that is not valid here (unauthorized);"
                  + " WWW-Authenticate: Bearer"),
          Map.entry(
              403,
              "The token lacks the role this operation needs (forbidden); the operation's"
                  + " security requirement lists the roles that do"),
          Map.entry(500, "Internal error (never caused by request content)"),
          Map.entry(502, "The engine failed (engine-error)"),
          Map.entry(
              503,
              "The database is unavailable (service-unavailable), no adapter can serve this now"
                  + " (adapter-unavailable), or the identity provider cannot be reached to check"
                  + " the token (identity-provider-unavailable); retry after Retry-After"));

  @Override
  public void filterOpenAPI(OpenAPI openAPI) {
    openAPI.getComponents().addSchema("Problem", problemSchema());
    NULLABLE.forEach(
        (schemaName, properties) -> {
          Schema schema = openAPI.getComponents().getSchemas().get(schemaName);
          if (schema == null) {
            throw new IllegalStateException("no schema " + schemaName + " to mark nullable");
          }
          for (String property : properties) {
            Schema value =
                schema.getProperties() == null ? null : schema.getProperties().get(property);
            if (value == null) {
              throw new IllegalStateException("no property " + schemaName + "." + property);
            }
            schema.addProperty(property, nullable(value));
          }
        });
    if (openAPI.getPaths() == null) {
      return;
    }
    openAPI
        .getPaths()
        .getPathItems()
        .forEach(
            (path, item) -> {
              for (Map.Entry<PathItem.HttpMethod, Operation> entry :
                  item.getOperations().entrySet()) {
                Operation operation = entry.getValue();
                String key = entry.getKey().name() + " " + path;
                if (operation.getSecurity() != null && !operation.getSecurity().isEmpty()) {
                  // replaces the generator's bare "Not Authorized" / "Not Allowed"
                  operation.getResponses().removeAPIResponse("401");
                  operation.getResponses().removeAPIResponse("403");
                  addProblem(operation, 401);
                  addProblem(operation, 403);
                }
                addProblem(operation, 400);
                addProblem(operation, 414);
                addProblem(operation, 431);
                if (operation.getRequestBody() != null) {
                  addProblem(operation, 408);
                  addProblem(operation, 413);
                  addProblem(operation, 415);
                }
                for (int status : PROBLEMS.getOrDefault(key, List.of())) {
                  addProblem(operation, status);
                }
                addProblem(operation, 500);
                addProblem(operation, 503);
              }
            });
  }

  /** The schema, or null: {@code type} gains "null"; a reference becomes anyOf it and null. */
  private static Schema nullable(Schema value) {
    if (value.getRef() != null) {
      return OASFactory.createSchema()
          .addAnyOf(OASFactory.createSchema().ref(value.getRef()))
          .addAnyOf(OASFactory.createSchema().addType(SchemaType.NULL));
    }
    if (value.getType() == null || value.getType().isEmpty()) {
      return value; // any value, null included
    }
    if (!value.getType().contains(SchemaType.NULL)) {
      value.addType(SchemaType.NULL);
    }
    return value;
  }

  private static void addProblem(Operation operation, int status) {
    String code = String.valueOf(status);
    if (operation.getResponses().hasAPIResponse(code)) {
      return;
    }
    operation
        .getResponses()
        .addAPIResponse(
            code,
            OASFactory.createAPIResponse()
                .description(DESCRIPTIONS.get(status))
                .content(
                    OASFactory.createContent()
                        .addMediaType(
                            ProblemMapper.PROBLEM_JSON,
                            OASFactory.createMediaType()
                                .schema(OASFactory.createSchema().ref(PROBLEM_REF)))));
  }

  private static Schema problemSchema() {
    Schema string = OASFactory.createSchema().addType(SchemaType.STRING);
    Schema fieldError =
        OASFactory.createSchema()
            .addType(SchemaType.OBJECT)
            .addProperty(
                "pointer",
                OASFactory.createSchema()
                    .addType(SchemaType.STRING)
                    .description("JSON pointer into the request"))
            .addProperty("message", string);
    return OASFactory.createSchema()
        .addType(SchemaType.OBJECT)
        .description(
            "RFC 9457 problem details, plus code, retryable and (for input errors) errors[]")
        .addProperty(
            "type",
            OASFactory.createSchema()
                .addType(SchemaType.STRING)
                .example("urn:kaapana:workflow-api:problem:invalid-transition"))
        .addProperty("title", string)
        .addProperty("status", OASFactory.createSchema().addType(SchemaType.INTEGER))
        .addProperty("detail", string)
        .addProperty("instance", string)
        .addProperty(
            "code",
            OASFactory.createSchema().addType(SchemaType.STRING).example("invalid-transition"))
        .addProperty("retryable", OASFactory.createSchema().addType(SchemaType.BOOLEAN))
        .addProperty(
            "errors", OASFactory.createSchema().addType(SchemaType.ARRAY).items(fieldError))
        .addProperty(
            "allowed_actions",
            OASFactory.createSchema()
                .addType(SchemaType.ARRAY)
                .items(string)
                .description("with invalid-transition"))
        .addRequired("type")
        .addRequired("title")
        .addRequired("status")
        .addRequired("code");
  }
}
