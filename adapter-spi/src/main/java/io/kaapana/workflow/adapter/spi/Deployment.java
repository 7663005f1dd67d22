package io.kaapana.workflow.adapter.spi;

import java.util.List;
import java.util.Objects;

/**
 * The result of deploying a revision: whether the engine accepted it, and what it found in it.
 *
 * @param valid true when the engine accepted the definition
 * @param messages why it was refused (precise, with positions where the engine gives them), or
 *     warnings
 * @param tasks the task graph, empty when invalid
 * @param engineRef the engine's name for the deployed definition (an Airflow dag_id, an Argo
 *     WorkflowTemplate name); null when invalid
 */
public record Deployment(
    boolean valid, List<String> messages, List<TaskNode> tasks, String engineRef) {
  public Deployment {
    messages = messages == null ? List.of() : List.copyOf(messages);
    tasks = tasks == null ? List.of() : List.copyOf(tasks);
  }

  public static Deployment valid(String engineRef, List<TaskNode> tasks) {
    return new Deployment(true, List.of(), tasks, Objects.requireNonNull(engineRef));
  }

  public static Deployment invalid(List<String> messages) {
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("an invalid deployment says why");
    }
    return new Deployment(false, messages, List.of(), null);
  }

  /**
   * One task of the graph.
   *
   * @param title the task's name in the engine; task runs are reported under it
   * @param displayName a human-friendly name (may equal the title)
   * @param type the engine's kind of task (an operator class, a template type, {@code command})
   * @param downstream the titles of the tasks that depend on this one
   */
  public record TaskNode(String title, String displayName, String type, List<String> downstream) {
    public TaskNode {
      Objects.requireNonNull(title, "title");
      displayName = displayName == null ? title : displayName;
      downstream = downstream == null ? List.of() : List.copyOf(downstream);
    }
  }
}
