package io.kaapana.workflow.adapter.runtime;

import io.kaapana.workflow.adapter.spi.Capability;
import io.kaapana.workflow.adapter.spi.EngineRunState;
import io.kaapana.workflow.adapter.spi.EngineTaskState;
import io.kaapana.workflow.client.model.RunState;
import io.kaapana.workflow.client.model.TaskRunState;

/**
 * Translates between the SPI's words and the API's. Exhaustive switches: a value added to one side
 * without the other fails the build here, not a run at run time. A value from a newer service that
 * the client does not know arrives as null and translates to null.
 */
final class Vocabulary {
  private Vocabulary() {}

  static RunState runState(EngineRunState state) {
    return switch (state) {
      case PENDING -> RunState.PENDING;
      case SCHEDULED -> RunState.SCHEDULED;
      case RUNNING -> RunState.RUNNING;
      case COMPLETED -> RunState.COMPLETED;
      case ERROR -> RunState.ERROR;
      case CANCELED -> RunState.CANCELED;
    };
  }

  static TaskRunState taskRunState(EngineTaskState state) {
    return switch (state) {
      case CREATED -> TaskRunState.CREATED;
      case PENDING -> TaskRunState.PENDING;
      case SCHEDULED -> TaskRunState.SCHEDULED;
      case RUNNING -> TaskRunState.RUNNING;
      case COMPLETED -> TaskRunState.COMPLETED;
      case ERROR -> TaskRunState.ERROR;
      case SKIPPED -> TaskRunState.SKIPPED;
      case UPSTREAM_FAILED -> TaskRunState.UPSTREAM_FAILED;
      case CANCELED -> TaskRunState.CANCELED;
    };
  }

  /** Null for a state this client does not know (null). */
  static EngineTaskState engineTaskState(TaskRunState state) {
    if (state == null) {
      return null;
    }
    return switch (state) {
      case CREATED -> EngineTaskState.CREATED;
      case PENDING -> EngineTaskState.PENDING;
      case SCHEDULED -> EngineTaskState.SCHEDULED;
      case RUNNING -> EngineTaskState.RUNNING;
      case COMPLETED -> EngineTaskState.COMPLETED;
      case ERROR -> EngineTaskState.ERROR;
      case SKIPPED -> EngineTaskState.SKIPPED;
      case UPSTREAM_FAILED -> EngineTaskState.UPSTREAM_FAILED;
      case CANCELED -> EngineTaskState.CANCELED;
    };
  }

  static io.kaapana.workflow.client.model.Capability capability(Capability capability) {
    return switch (capability) {
      case CANCEL -> io.kaapana.workflow.client.model.Capability.CANCEL;
      case RETRY_RUN -> io.kaapana.workflow.client.model.Capability.RETRY_RUN;
      case RETRY_TASK -> io.kaapana.workflow.client.model.Capability.RETRY_TASK;
      case LOGS -> io.kaapana.workflow.client.model.Capability.LOGS;
      case LOG_FOLLOW -> io.kaapana.workflow.client.model.Capability.LOG_FOLLOW;
      case VALIDATE -> io.kaapana.workflow.client.model.Capability.VALIDATE;
    };
  }
}
