package io.kaapana.workflow.service.rest.dto;

import io.kaapana.workflow.core.domain.TaskDefinition;
import io.kaapana.workflow.core.domain.Validation;
import io.kaapana.workflow.core.domain.ValidationStatus;
import io.kaapana.workflow.core.domain.Workflow;
import io.kaapana.workflow.core.domain.WorkflowRevision;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Wire shapes of workflows, revisions, validations and task graphs. */
public final class WorkflowDtos {
  /** Titles use the label-value alphabet (ADR 0007). */
  public static final String TITLE_PATTERN = "^[A-Za-z0-9._:@/+-]{1,255}$";

  public static final String ENGINE_PATTERN = "^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$";

  private WorkflowDtos() {}

  @Schema(
      name = "CreateWorkflow",
      example =
          "{\"title\":\"total-segmentator\",\"workflow_engine\":\"airflow\","
              + "\"definition\":\"from airflow import DAG\\n...\","
              + "\"parameters_schema\":{\"type\":\"object\",\"properties\":{\"fast\":{\"type\":\"boolean\",\"default\":false}}},"
              + "\"labels\":{\"kaapana.experiment\":\"liver-2026\"},\"description\":\"Organ segmentation\"}")
  public record CreateWorkflowRequest(
      @Schema(
              required = true,
              pattern = TITLE_PATTERN,
              description = "Unique among active workflows")
          String title,
      @Schema(required = true, pattern = ENGINE_PATTERN, example = "airflow") String workflowEngine,
      @Schema(required = true, minLength = 1, maxLength = 1000000) String definition,
      @Schema(
              description =
                  "JSON Schema 2020-12 of the run parameters; default {\"type\":\"object\"}")
          Map<String, Object> parametersSchema,
      Map<String, String> labels,
      String description) {}

  @Schema(name = "Validation")
  public record ValidationDto(
      ValidationStatus status, List<String> messages, Instant validatedAt, String adapterId) {
    static ValidationDto of(Validation v) {
      return new ValidationDto(v.status(), v.messages(), v.validatedAt(), v.adapterId());
    }
  }

  @Schema(name = "Task")
  public record TaskDto(String title, String displayName, String type, List<String> downstream) {
    public static TaskDto of(TaskDefinition t) {
      return new TaskDto(t.title(), t.displayName(), t.type(), t.downstream());
    }

    public TaskDefinition toDomain() {
      return new TaskDefinition(title, displayName, type, downstream);
    }
  }

  @Schema(name = "Workflow")
  public record WorkflowDto(
      UUID id,
      String title,
      String workflowEngine,
      String description,
      Map<String, String> labels,
      boolean archived,
      Instant createdAt,
      Instant updatedAt,
      int increment,
      String definition,
      Map<String, Object> parametersSchema,
      String specHash,
      ValidationDto validation,
      List<TaskDto> tasks) {
    public static WorkflowDto of(Workflow w, WorkflowRevision r) {
      return new WorkflowDto(
          w.id(),
          w.title(),
          w.workflowEngine(),
          w.description(),
          r.labels().asMap(),
          w.archived(),
          w.createdAt(),
          w.updatedAt(),
          r.increment(),
          r.definition(),
          r.parametersSchema(),
          r.specHash(),
          ValidationDto.of(r.validation()),
          r.tasks().stream().map(TaskDto::of).toList());
    }
  }

  @Schema(name = "WorkflowRevision")
  public record RevisionDto(
      UUID workflowId,
      int increment,
      String definition,
      Map<String, Object> parametersSchema,
      Map<String, String> labels,
      String specHash,
      Instant createdAt,
      ValidationDto validation,
      List<TaskDto> tasks,
      String engineRef) {
    public static RevisionDto of(WorkflowRevision r) {
      return new RevisionDto(
          r.workflowId(),
          r.increment(),
          r.definition(),
          r.parametersSchema(),
          r.labels().asMap(),
          r.specHash(),
          r.createdAt(),
          ValidationDto.of(r.validation()),
          r.tasks().stream().map(TaskDto::of).toList(),
          r.engineRef());
    }
  }

  @Schema(
      name = "ValidationReport",
      example =
          "{\"status\":\"VALID\",\"messages\":[],\"tasks\":[{\"title\":\"fetch\",\"display_name\":\"Fetch data\","
              + "\"type\":\"PythonOperator\",\"downstream\":[\"segment\"]},{\"title\":\"segment\",\"downstream\":[]}],"
              + "\"engine_ref\":\"total-segmentator-0190a1b2-1\",\"adapter_id\":\"airflow-adapter-0\"}")
  public record ValidationReportRequest(
      @Schema(required = true) ValidationStatus status,
      List<String> messages,
      List<TaskDto> tasks,
      String engineRef,
      String adapterId) {}
}
