package io.kaapana.workflow.service.persistence;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.kaapana.workflow.core.domain.ActionRequest;
import io.kaapana.workflow.core.domain.Capability;
import io.kaapana.workflow.core.domain.RequestedAction;
import io.kaapana.workflow.core.domain.RetryScope;
import io.kaapana.workflow.core.domain.TaskDefinition;
import io.kaapana.workflow.core.domain.TaskRunState;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON kept in {@code jsonb} columns. It has its own mapper and its own records, so that it
 * neither follows the API's JSON settings (which refuse unknown fields) nor the names of domain
 * records: renaming a field of {@link ActionRequest} changes the mapping here, not the rows. Rows
 * are read tolerantly: unknown fields are skipped, and an enum value this release does not know (a
 * row written by a newer one) is left out rather than failing the read. The stored names are the
 * ones the first release wrote; {@code StoredJsonTest} reads such rows.
 */
public final class StoredJson {
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          // parameters and schemas keep their decimals exact, as the API read them
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  private StoredJson() {}

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  static <T> T read(String json, TypeReference<T> type) {
    if (json == null) {
      return null;
    }
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON is unreadable", e);
    }
  }

  /** {@code workflow_runs.action_request}. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  @RegisterForReflection // read and written by Jackson outside REST: a native image needs it listed
  record StoredActionRequest(
      @JsonProperty("type") String type,
      @JsonProperty("scope") String scope,
      @JsonProperty("force") boolean force,
      @JsonProperty("task_title") String taskTitle,
      @JsonProperty("reason") String reason) {

    static StoredActionRequest of(ActionRequest action) {
      return action == null
          ? null
          : new StoredActionRequest(
              action.type().name(),
              action.scope() == null ? null : action.scope().name(),
              action.force(),
              action.taskTitle(),
              action.reason());
    }

    /** Null when the action is one this release does not know: it could not carry it out. */
    ActionRequest toDomain() {
      RequestedAction action = known(RequestedAction.class, type);
      return action == null
          ? null
          : new ActionRequest(action, known(RetryScope.class, scope), force, taskTitle, reason);
    }
  }

  /** One entry of {@code workflow_revisions.tasks}. */
  @RegisterForReflection
  record StoredTask(
      @JsonProperty("title") String title,
      @JsonProperty("display_name") String displayName,
      @JsonProperty("type") String type,
      @JsonProperty("downstream") List<String> downstream) {

    static List<StoredTask> of(List<TaskDefinition> tasks) {
      return tasks == null
          ? null
          : tasks.stream()
              .map(t -> new StoredTask(t.title(), t.displayName(), t.type(), t.downstream()))
              .toList();
    }

    TaskDefinition toDomain() {
      return new TaskDefinition(title, displayName, type, downstream);
    }
  }

  static final TypeReference<StoredActionRequest> ACTION = new TypeReference<>() {};
  static final TypeReference<List<StoredTask>> TASKS = new TypeReference<>() {};
  static final TypeReference<Map<String, Integer>> COUNTS = new TypeReference<>() {};
  static final TypeReference<List<String>> NAMES = new TypeReference<>() {};

  static ActionRequest actionRequest(String json) {
    StoredActionRequest stored = read(json, ACTION);
    return stored == null ? null : stored.toDomain();
  }

  static List<TaskDefinition> tasks(String json) {
    List<StoredTask> stored = read(json, TASKS);
    return stored == null ? null : stored.stream().map(StoredTask::toDomain).toList();
  }

  /** {@code workflow_runs.task_run_counts}: counts per task-run state. */
  static Map<TaskRunState, Integer> taskRunCounts(String json) {
    Map<TaskRunState, Integer> counts = new EnumMap<>(TaskRunState.class);
    Map<String, Integer> stored = read(json, COUNTS);
    if (stored != null) {
      stored.forEach(
          (name, count) -> {
            TaskRunState state = known(TaskRunState.class, name);
            if (state != null && count != null) {
              counts.put(state, count);
            }
          });
    }
    return counts;
  }

  /** {@code adapters.capabilities}. */
  static Set<Capability> capabilities(String json) {
    Set<Capability> capabilities = EnumSet.noneOf(Capability.class);
    List<String> stored = read(json, NAMES);
    if (stored != null) {
      for (String name : stored) {
        Capability capability = known(Capability.class, name);
        if (capability != null) {
          capabilities.add(capability);
        }
      }
    }
    return capabilities;
  }

  private static <E extends Enum<E>> E known(Class<E> type, String name) {
    if (name == null) {
      return null;
    }
    for (E value : type.getEnumConstants()) {
      if (value.name().equals(name)) {
        return value;
      }
    }
    return null;
  }
}
