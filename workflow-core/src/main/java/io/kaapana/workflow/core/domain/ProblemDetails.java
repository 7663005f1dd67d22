package io.kaapana.workflow.core.domain;

import java.util.List;
import java.util.UUID;

/**
 * Facts a refusal carries beyond its sentence, for a client to act on without parsing it (the
 * extension members of an RFC 9457 problem). The web side writes them in its own naming; the core
 * only names the facts.
 */
public sealed interface ProblemDetails
    permits ProblemDetails.InvalidTransition,
        ProblemDetails.SelectorPosition,
        ProblemDetails.EngineCapabilities,
        ProblemDetails.DefinitionInvalid,
        ProblemDetails.TitleTaken,
        ProblemDetails.ActiveRuns,
        ProblemDetails.FailingAdapter {

  /** An action the run or task run cannot take in its state, and what it can take instead. */
  record InvalidTransition(String currentState, List<String> allowedActions)
      implements ProblemDetails {}

  /** Where in a label selector reading stopped (0-based). */
  record SelectorPosition(int position) implements ProblemDetails {}

  /** What the engine of a run can do, when it was asked for something else. */
  record EngineCapabilities(List<String> capabilities) implements ProblemDetails {}

  /** Why the engine found a revision invalid. */
  record DefinitionInvalid(List<String> validationMessages) implements ProblemDetails {}

  /** The workflow that holds a title, next to what was posted under it. */
  record TitleTaken(
      ExistingWorkflow existingWorkflow, String incomingSpecHash, String incomingWorkflowEngine)
      implements ProblemDetails {}

  /** How many runs keep a workflow from being deleted. */
  record ActiveRuns(long activeRuns) implements ProblemDetails {}

  /** The adapter whose engine failed a request. */
  record FailingAdapter(String adapterId) implements ProblemDetails {}

  /** The active workflow a title belongs to. */
  record ExistingWorkflow(UUID id, String workflowEngine, int increment, String specHash) {}
}
