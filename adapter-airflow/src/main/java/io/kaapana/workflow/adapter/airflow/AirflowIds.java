package io.kaapana.workflow.adapter.airflow;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names the adapter gives things in Airflow, derived so that they are stable (the same revision
 * or run always gets the same name, also in another adapter instance) and unique (a workflow
 * re-created with an old title never meets the old DAG).
 */
final class AirflowIds {

  private static final Pattern MAPPED_TITLE = Pattern.compile("(.+)\\[(\\d+)]");

  /** Kaapana's placeholder in definitions; with or without blanks inside the braces. */
  static final Pattern DAG_ID_PLACEHOLDER = Pattern.compile("\\{\\{\\s*dag_id\\s*}}");

  /** For display only (e.g. {@code dag_display_name}): the workflow's title at deployment. */
  static final Pattern TITLE_PLACEHOLDER = Pattern.compile("\\{\\{\\s*workflow_title\\s*}}");

  static final String RUN_ID_PREFIX = "kaapana__";

  private AirflowIds() {}

  /**
   * {@code kaapana__<workflow id>__v<increment>}: only what never changes for a revision (a title
   * changes in place), unique across re-created titles.
   */
  static String dagId(String workflowId, int increment) {
    return "kaapana__" + workflowId.toLowerCase(Locale.ROOT) + "__v" + increment;
  }

  /** The file the DAG lives in, inside the DAGs folder. */
  static String dagFileName(String dagId) {
    return dagId + ".py";
  }

  /** One DAG run per Kaapana run; retries clear it rather than start another. */
  static String dagRunId(String runId) {
    return RUN_ID_PREFIX + runId;
  }

  /** The external id Kaapana shows for a run: {@code <dag_id>/<dag_run_id>}. */
  static String runExternalId(String dagId, String dagRunId) {
    return dagId + "/" + dagRunId;
  }

  /**
   * The task run title of a task instance: its {@code task_id}, and for one instance of a mapped
   * task {@code task_id[map_index]}.
   */
  static String taskTitle(String taskId, int mapIndex) {
    return mapIndex < 0 ? taskId : taskId + "[" + mapIndex + "]";
  }

  /** The reverse of {@link #taskTitle}: task id and map index (-1 when not mapped). */
  record TaskKey(String taskId, int mapIndex) {}

  static TaskKey taskKey(String title) {
    Matcher matcher = MAPPED_TITLE.matcher(title);
    if (matcher.matches()) {
      try {
        return new TaskKey(matcher.group(1), Integer.parseInt(matcher.group(2)));
      } catch (NumberFormatException e) {
        return new TaskKey(title, -1);
      }
    }
    return new TaskKey(title, -1);
  }

  /**
   * The definition as a DAG file: every {@code {{ dag_id }}} and {@code {{ workflow_title }}}
   * replaced (titles hold no quotes or backslashes, so both fit in a Python string literal).
   */
  static String render(String definition, String dagId, String title) {
    String file =
        DAG_ID_PLACEHOLDER.matcher(definition).replaceAll(Matcher.quoteReplacement(dagId));
    return TITLE_PLACEHOLDER
        .matcher(file)
        .replaceAll(Matcher.quoteReplacement(title == null ? dagId : title));
  }
}
