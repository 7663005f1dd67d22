package io.kaapana.workflow.adapter.runtime;

import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.Deployment;
import io.kaapana.workflow.adapter.spi.RevisionSpec;
import io.kaapana.workflow.client.model.WorkflowRevision;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What the runtime remembers of revisions: their deployments in the engine, the revisions
 * themselves and workflow titles. Each cache keeps at most {@link #MAX_ENTRIES} entries, the least
 * recently used leaving first (a forgotten deployment is deployed again, which adapters treat as
 * idempotent). Values are fetched outside the caches' locks.
 */
final class Deployments {
  /** Per cache; far above the revisions one adapter serves at a time. */
  static final int MAX_ENTRIES = 1_000;

  private final ServiceCalls service;
  private final EngineCalls engine;
  private final Lru<String, Deployment> deployments = new Lru<>();
  private final Lru<String, WorkflowRevision> revisions = new Lru<>();
  private final Lru<UUID, String> titles = new Lru<>();

  Deployments(ServiceCalls service, EngineCalls engine) {
    this.service = service;
    this.engine = engine;
  }

  private static String key(UUID workflowId, int increment) {
    return workflowId + "#" + increment;
  }

  /** The revision's deployment, deploying it the first time. */
  Deployment deploy(WorkflowRevision revision) throws AdapterException {
    String key = key(revision.workflowId(), revision.increment());
    Deployment known = deployments.get(key);
    if (known != null) {
      return known;
    }
    Deployment deployment = engine.deploy(spec(revision));
    deployments.put(key, deployment);
    return deployment;
  }

  /** The deployment if this runtime made it and still remembers it; null otherwise. */
  Deployment known(UUID workflowId, int increment) {
    return deployments.get(key(workflowId, increment));
  }

  WorkflowRevision revision(UUID workflowId, int increment) {
    String key = key(workflowId, increment);
    WorkflowRevision known = revisions.get(key);
    if (known != null) {
      return known;
    }
    WorkflowRevision fetched = service.revision(workflowId, increment);
    revisions.put(key, fetched);
    return fetched;
  }

  RevisionSpec spec(WorkflowRevision revision) {
    return new RevisionSpec(
        revision.workflowId().toString(),
        revision.increment(),
        titleOf(revision.workflowId()),
        revision.definition(),
        RuntimeJson.write(revision.parametersSchema()),
        revision.labels());
  }

  /** The workflow's title, asked once per workflow: adapters use it for display only. */
  private String titleOf(UUID workflowId) {
    String title = titles.get(workflowId);
    if (title == null) {
      try {
        title = service.workflow(workflowId).title();
        titles.put(workflowId, title);
      } catch (RuntimeException e) {
        return null; // cosmetic: deploying goes on without it
      }
    }
    return title;
  }

  /** A small synchronized LRU map. */
  private static final class Lru<K, V> {
    private final Map<K, V> entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            return size() > MAX_ENTRIES;
          }
        };

    synchronized V get(K key) {
      return entries.get(key);
    }

    synchronized void put(K key, V value) {
      entries.put(key, value);
    }
  }
}
