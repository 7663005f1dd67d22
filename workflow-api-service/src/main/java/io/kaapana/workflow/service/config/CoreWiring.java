package io.kaapana.workflow.service.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaapana.workflow.core.application.AdapterService;
import io.kaapana.workflow.core.application.IdempotentRunService;
import io.kaapana.workflow.core.application.RunService;
import io.kaapana.workflow.core.application.WorkflowService;
import io.kaapana.workflow.core.domain.UuidV7;
import io.kaapana.workflow.core.port.in.AdapterCommands;
import io.kaapana.workflow.core.port.in.IdempotentRunCommands;
import io.kaapana.workflow.core.port.in.RunCommands;
import io.kaapana.workflow.core.port.in.WorkflowCommands;
import io.kaapana.workflow.core.port.out.AdapterDirectory;
import io.kaapana.workflow.core.port.out.AdapterNotices;
import io.kaapana.workflow.core.port.out.AdapterRepository;
import io.kaapana.workflow.core.port.out.AuditLog;
import io.kaapana.workflow.core.port.out.EventStore;
import io.kaapana.workflow.core.port.out.IdGenerator;
import io.kaapana.workflow.core.port.out.IdempotencyKeys;
import io.kaapana.workflow.core.port.out.ParameterValidator;
import io.kaapana.workflow.core.port.out.RunRepository;
import io.kaapana.workflow.core.port.out.WorkflowRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Wires the plain-Java core into CDI; the core itself knows nothing of Quarkus. */
@ApplicationScoped
public class CoreWiring {

  @Produces
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }

  @Produces
  @Singleton
  IdGenerator ids(Clock clock) {
    return () -> UuidV7.next(clock);
  }

  @Produces
  @Singleton
  ParameterValidator parameterValidator(ObjectMapper mapper) {
    return new JsonSchemaParameterValidator(mapper);
  }

  @Produces
  @Singleton
  WorkflowCommands workflowCommands(
      WorkflowRepository workflows,
      EventStore events,
      ParameterValidator validator,
      AuditLog audit,
      IdGenerator ids,
      Clock clock) {
    return new WorkflowService(workflows, events, validator, audit, ids, clock);
  }

  /** One service behind both ports: the use cases, and what runs need to know of adapters. */
  @Produces
  @Singleton
  @Typed({AdapterCommands.class, AdapterDirectory.class})
  AdapterService adapterService(
      AdapterRepository adapters,
      RunRepository runs,
      WorkflowRepository workflows,
      EventStore events,
      AdapterNotices notices,
      AuditLog audit,
      Clock clock) {
    return new AdapterService(adapters, runs, workflows, events, notices, audit, clock);
  }

  @Produces
  @Singleton
  IdempotentRunCommands idempotentRunCommands(
      RunCommands runs, RunRepository runRepository, IdempotencyKeys keys, Clock clock) {
    return new IdempotentRunService(runs, runRepository, keys, clock);
  }

  @Produces
  @Singleton
  RunCommands runCommands(
      WorkflowRepository workflows,
      RunRepository runs,
      EventStore events,
      ParameterValidator validator,
      AdapterDirectory adapters,
      AuditLog audit,
      IdGenerator ids,
      Clock clock) {
    return new RunService(workflows, runs, events, validator, adapters, audit, ids, clock);
  }
}
