package io.kaapana.workflow.core.fakes;

import io.kaapana.workflow.core.domain.Adapter;
import io.kaapana.workflow.core.domain.AdapterRegistration;
import io.kaapana.workflow.core.domain.AdapterStatus;
import io.kaapana.workflow.core.port.out.AdapterRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** A hand-written in-memory stand-in for the adapter store. */
public class InMemoryAdapterRepository implements AdapterRepository {
  private final TreeMap<String, Adapter> adapters = new TreeMap<>();

  @Override
  public Optional<Adapter> find(String id) {
    return Optional.ofNullable(adapters.get(id));
  }

  @Override
  public List<Adapter> list() {
    return List.copyOf(adapters.values());
  }

  @Override
  public List<Adapter> active() {
    return adapters.values().stream().filter(Adapter::isActive).toList();
  }

  @Override
  public Adapter save(AdapterRegistration r, Instant now) {
    Instant registeredAt = find(r.id()).map(Adapter::registeredAt).orElse(now);
    Adapter adapter =
        new Adapter(
            r.id(),
            r.workflowEngine(),
            r.labelSelector(),
            r.capabilities(),
            r.endpointUrl(),
            r.version(),
            r.leaseSeconds(),
            registeredAt,
            now,
            AdapterStatus.ACTIVE,
            find(r.id()).map(Adapter::registeredBy).orElse(r.registeredBy()));
    adapters.put(r.id(), adapter);
    return adapter;
  }

  @Override
  public Optional<Adapter> touch(String id, Instant now) {
    return find(id).map(a -> put(a, now, AdapterStatus.ACTIVE));
  }

  @Override
  public boolean delete(String id) {
    return adapters.remove(id) != null;
  }

  @Override
  public List<Adapter> markLost(Instant now) {
    List<Adapter> lost = new ArrayList<>();
    for (Adapter a : List.copyOf(adapters.values())) {
      if (a.isActive() && a.leaseExpiresAt().isBefore(now)) {
        lost.add(a);
        put(a, a.lastSeenAt(), AdapterStatus.LOST);
      }
    }
    return lost;
  }

  @Override
  public boolean anyActiveFor(String workflowEngine) {
    return active().stream().anyMatch(a -> a.workflowEngine().equals(workflowEngine));
  }

  private Adapter put(Adapter a, Instant lastSeenAt, AdapterStatus status) {
    Adapter changed =
        new Adapter(
            a.id(),
            a.workflowEngine(),
            a.labelSelector(),
            a.capabilities(),
            a.endpointUrl(),
            a.version(),
            a.leaseSeconds(),
            a.registeredAt(),
            lastSeenAt,
            status,
            a.registeredBy());
    adapters.put(a.id(), changed);
    return changed;
  }
}
