package io.kaapana.workflow.adapter.support;

import io.kaapana.workflow.adapter.spi.AdapterConfig;
import io.kaapana.workflow.adapter.spi.WorkflowAdapterFactory;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The part of a factory every engine adapter writes alike: its kind, its secret keys, and
 * validation by its settings reader. A subclass adds {@code create()}.
 */
public abstract class EngineAdapterFactory implements WorkflowAdapterFactory {
  private final String id;
  private final Set<String> sensitiveKeys;
  private final Function<AdapterConfig, List<String>> problems;

  /**
   * @param id the adapter kind (and by default the {@code workflow_engine} it serves)
   * @param sensitiveKeys configuration keys whose values are secrets
   * @param problems the settings reader's problems for a configuration (every one, as sentences)
   */
  protected EngineAdapterFactory(
      String id, Set<String> sensitiveKeys, Function<AdapterConfig, List<String>> problems) {
    this.id = Objects.requireNonNull(id);
    this.sensitiveKeys = Set.copyOf(sensitiveKeys);
    this.problems = Objects.requireNonNull(problems);
  }

  @Override
  public final String id() {
    return id;
  }

  @Override
  public final Set<String> sensitiveKeys() {
    return sensitiveKeys;
  }

  @Override
  public final List<String> validate(AdapterConfig config) {
    return problems.apply(config);
  }
}
