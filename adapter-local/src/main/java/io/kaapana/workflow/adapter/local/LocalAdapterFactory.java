package io.kaapana.workflow.adapter.local;

import io.kaapana.workflow.adapter.spi.AdapterConfig;
import io.kaapana.workflow.adapter.spi.AdapterContext;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.WorkflowAdapter;
import io.kaapana.workflow.adapter.spi.WorkflowAdapterFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The built-in engine ({@code workflow_engine: local}). Configuration:
 *
 * <ul>
 *   <li>{@code local.allow-commands} (false): run task commands at all. Off by default: anyone who
 *       can post a workflow could otherwise run programs on this machine.
 *   <li>{@code local.parallelism} (4): task processes running at once.
 *   <li>{@code local.kill-grace} (5s): how long a canceled task may take to exit after SIGTERM
 *       before it is killed.
 * </ul>
 */
public final class LocalAdapterFactory implements WorkflowAdapterFactory {
  static final String ALLOW_COMMANDS = "local.allow-commands";
  static final String PARALLELISM = "local.parallelism";
  static final String KILL_GRACE = "local.kill-grace";

  @Override
  public String id() {
    return "local";
  }

  @Override
  public List<String> validate(AdapterConfig config) {
    List<String> problems = new ArrayList<>();
    try {
      config.getBoolean(ALLOW_COMMANDS, false);
    } catch (AdapterException e) {
      problems.add(e.getMessage());
    }
    try {
      config.getInt(PARALLELISM, 4, 1, 256);
    } catch (AdapterException e) {
      problems.add(e.getMessage());
    }
    try {
      config.getDuration(KILL_GRACE, Duration.ofSeconds(5));
    } catch (AdapterException e) {
      problems.add(e.getMessage());
    }
    return problems;
  }

  @Override
  public WorkflowAdapter create(AdapterConfig config, AdapterContext context)
      throws AdapterException {
    return new LocalAdapter(
        context,
        config.getBoolean(ALLOW_COMMANDS, false),
        config.getInt(PARALLELISM, 4, 1, 256),
        config.getDuration(KILL_GRACE, Duration.ofSeconds(5)));
  }
}
