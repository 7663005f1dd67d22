package io.kaapana.workflow.core.fakes;

import io.kaapana.workflow.core.domain.Adapter;
import io.kaapana.workflow.core.domain.Capability;
import io.kaapana.workflow.core.domain.DomainEvent;
import io.kaapana.workflow.core.domain.ErrorCode;
import io.kaapana.workflow.core.domain.FieldError;
import io.kaapana.workflow.core.domain.FieldPath;
import io.kaapana.workflow.core.domain.ReleaseReason;
import io.kaapana.workflow.core.domain.WorkflowApiException;
import io.kaapana.workflow.core.domain.WorkflowRun;
import io.kaapana.workflow.core.port.out.AdapterDirectory;
import io.kaapana.workflow.core.port.out.AdapterNotices;
import io.kaapana.workflow.core.port.out.AuditLog;
import io.kaapana.workflow.core.port.out.EventStore;
import io.kaapana.workflow.core.port.out.ParameterValidator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Small hand-written fakes of the outbound ports. */
public final class Fakes {
  private Fakes() {}

  public static class RecordingEventStore implements EventStore {
    public final List<DomainEvent> events = new ArrayList<>();

    @Override
    public void append(List<DomainEvent> batch) {
      events.addAll(batch);
    }

    public List<String> types() {
      return events.stream().map(DomainEvent::type).toList();
    }
  }

  public static class RecordingAuditLog implements AuditLog {
    public final List<String> actions = new ArrayList<>();

    @Override
    public void record(
        String actor,
        String action,
        String objectType,
        String objectId,
        Object before,
        Object after,
        String reason) {
      actions.add(actor + ":" + action + ":" + objectId + ":" + reason);
    }
  }

  public static class FixedCapabilities implements AdapterDirectory {
    public Set<Capability> capabilities = EnumSet.noneOf(Capability.class);

    @Override
    public Set<Capability> capabilitiesServing(WorkflowRun run) {
      return capabilities;
    }

    @Override
    public boolean servesEngine(String workflowEngine) {
      return true;
    }
  }

  /** Understands "required" and property defaults: enough to exercise the use cases. */
  public static class RequiredOnlyValidator implements ParameterValidator {
    @Override
    public List<FieldError> checkSchema(Map<String, Object> schema) {
      Object type = schema.get("type");
      return type == null || "object".equals(type)
          ? List.of()
          : List.of(new FieldError(FieldPath.REQUEST.key("type"), "must be object"));
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> validate(
        Map<String, Object> schema, Map<String, Object> parameters) {
      Map<String, Object> result = new LinkedHashMap<>(parameters);
      if (schema.get("properties") instanceof Map<?, ?> props) {
        props.forEach(
            (k, v) -> {
              if (v instanceof Map<?, ?> p && p.containsKey("default")) {
                result.putIfAbsent((String) k, p.get("default"));
              }
            });
      }
      List<FieldError> errors = new ArrayList<>();
      for (Object name : (List<Object>) schema.getOrDefault("required", List.of())) {
        if (!result.containsKey(name)) {
          errors.add(new FieldError(FieldPath.REQUEST.key(String.valueOf(name)), "required"));
        }
      }
      if (!errors.isEmpty()) {
        throw WorkflowApiException.invalid(ErrorCode.INVALID_PARAMETERS, errors);
      }
      return result;
    }
  }

  /** Keeps what operators would be told, one line per notice. */
  public static class RecordingNotices implements AdapterNotices {
    public final List<String> lines = new ArrayList<>();

    @Override
    public void registered(Adapter adapter, boolean wasLost) {
      lines.add((wasLost ? "back " : "registered ") + adapter.id());
    }

    @Override
    public void lost(Adapter adapter, int runsReleased) {
      lines.add("lost " + adapter.id() + " released " + runsReleased);
    }

    @Override
    public void deregistered(String adapterId, int runsReleased) {
      lines.add("deregistered " + adapterId + " released " + runsReleased);
    }

    @Override
    public void runsReleased(String adapterId, ReleaseReason reason, List<UUID> runIds) {
      lines.add("released " + runIds.size() + " of " + adapterId + " " + reason.slug());
    }
  }

  /** A clock tests move by hand. */
  public static class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-11-26T17:00:00Z");

    public void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
