package io.kaapana.workflow.adapter.spi;

import java.util.List;
import java.util.Set;

/**
 * Creates adapters of one kind; found through {@link java.util.ServiceLoader}.
 *
 * <p>Call order: the runtime calls {@link #id()} on every factory it finds, refuses to start when
 * zero or several factories have the configured id, then calls {@link #validate(AdapterConfig)}
 * and, only when that returned no problems, {@link #create(AdapterConfig, AdapterContext)} once.
 *
 * <p>Thread-safety: factories are stateless; every method may be called from any thread.
 */
public interface WorkflowAdapterFactory {

  /**
   * The adapter kind, e.g. {@code local} or {@code airflow}: lower case, stable across versions.
   */
  String id();

  /**
   * The {@code workflow_engine} value of the workflows this adapter serves; by default its {@link
   * #id()}.
   */
  default String workflowEngine() {
    return id();
  }

  /**
   * Configuration keys whose values are secrets (passwords, tokens): the runtime never logs or
   * prints them.
   */
  default Set<String> sensitiveKeys() {
    return Set.of();
  }

  /**
   * Checks a configuration without side effects.
   *
   * @return one readable message per problem ("local.parallelism must be a positive number, got
   *     'x'"); empty when the configuration is usable
   */
  List<String> validate(AdapterConfig config);

  /**
   * Creates the adapter. Called once, after {@link #validate(AdapterConfig)} found no problems.
   *
   * @throws AdapterException with {@link AdapterException.ErrorCode#UNAVAILABLE} when the engine
   *     cannot be reached yet (the runtime retries with backoff), or {@link
   *     AdapterException.ErrorCode#INVALID_CONFIG} when the configuration is refused by the engine
   */
  WorkflowAdapter create(AdapterConfig config, AdapterContext context) throws AdapterException;
}
