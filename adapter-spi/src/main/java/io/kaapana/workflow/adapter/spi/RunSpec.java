package io.kaapana.workflow.adapter.spi;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything needed to start (or resume) a run in the engine.
 *
 * @param ref the run
 * @param revision the revision it runs; the runtime deployed it in this adapter instance first
 * @param parameters the validated parameters, schema defaults applied: JSON values as Java values
 *     ({@code String}, {@code Boolean}, {@code java.math.BigDecimal} or {@code Long}, {@code List},
 *     {@code Map}, null)
 * @param labels the run's labels, including the {@code kaapana.io/…} system labels
 * @param knownTaskRuns the task runs as the Workflow API last recorded them; lets an engine that
 *     lost its state resume a run instead of starting over (empty for a new run)
 */
public record RunSpec(
    RunRef ref,
    RevisionSpec revision,
    Map<String, Object> parameters,
    Map<String, String> labels,
    List<TaskObservation> knownTaskRuns) {
  public RunSpec {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(revision, "revision");
    parameters = parameters == null ? Map.of() : java.util.Collections.unmodifiableMap(parameters);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    knownTaskRuns = knownTaskRuns == null ? List.of() : List.copyOf(knownTaskRuns);
  }

  public String runId() {
    return ref.runId();
  }
}
