package io.kaapana.workflow.adapter.argo;

import com.fasterxml.jackson.databind.JsonNode;
import io.kaapana.workflow.adapter.spi.AdapterException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the latest copy of the Kaapana workflows the adapter asked about, from argo-server's {@code
 * workflow-events} stream (selected by the run-id label, resumed by resource version). A copy is
 * handed out only while the stream is connected and for at most {@code maxAge} after it was listed:
 * then the adapter lists again, so a stream that silently stalls costs freshness, not correctness.
 */
final class ArgoWatch implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(ArgoWatch.class.getName());

  /** Kubernetes ends a watch after this long; the stream is then resumed from where it was. */
  private static final int STREAM_SECONDS = 60;

  private record Copy(JsonNode workflow, long listedAt) {}

  private final ArgoHttp http;
  private final String path;
  private final Map<String, String> fields;
  private final Duration maxAge;
  private final Map<String, Copy> byRunId = new ConcurrentHashMap<>();
  private volatile String resourceVersion;
  private volatile boolean connected;
  private volatile boolean closed;
  private volatile boolean gone;
  private Thread thread;

  ArgoWatch(ArgoHttp http, Map<String, String> fields, Duration maxAge) {
    this.http = http;
    this.path = "/api/v1/workflow-events/" + http.namespace();
    this.fields = fields;
    this.maxAge = maxAge;
  }

  /**
   * A listed copy: kept, and the stream started from the list's resource version when it does not
   * run yet (events between the list and the stream's start are replayed by Kubernetes).
   */
  synchronized void listed(String runId, JsonNode workflow, String listResourceVersion) {
    byRunId.put(runId, new Copy(workflow, System.nanoTime()));
    if (resourceVersion == null && listResourceVersion != null && !listResourceVersion.isEmpty()) {
      resourceVersion = listResourceVersion;
    }
    if (thread == null && !closed && resourceVersion != null) {
      thread = new Thread(this::run, "argo-workflow-events");
      thread.setDaemon(true);
      thread.start();
    }
  }

  /** The stream's copy of a run's workflow, or null when the adapter must list it. */
  JsonNode current(String runId) {
    Copy copy = byRunId.get(runId);
    if (!connected || copy == null || System.nanoTime() - copy.listedAt() > maxAge.toNanos()) {
      return null;
    }
    return copy.workflow();
  }

  /** Runs the adapter no longer holds are forgotten. */
  void retain(java.util.Set<String> runIds) {
    byRunId.keySet().retainAll(runIds);
  }

  boolean connected() {
    return connected;
  }

  private void run() {
    long backoffMillis = 500;
    while (!closed) {
      try {
        Map<String, String> query = new LinkedHashMap<>(fields);
        query.put("listOptions.labelSelector", ArgoNames.RUN_ID_LABEL);
        query.put("listOptions.resourceVersion", resourceVersion);
        query.put("listOptions.timeoutSeconds", String.valueOf(STREAM_SECONDS));
        http.stream(
            path,
            query,
            Duration.ofSeconds(STREAM_SECONDS + 30),
            () -> connected = true,
            this::apply);
        if (gone) {
          // Too old a resource version: the copies may have missed changes, so all are listed
          // again and the next list starts a new stream.
          synchronized (this) {
            byRunId.clear();
            resourceVersion = null;
            thread = null;
            gone = false;
          }
          return;
        }
        backoffMillis = 500; // the server ended the stream after its timeout: resume at once
        continue;
      } catch (AdapterException e) {
        LOG.log(Level.FINE, "the workflow-events stream broke; listing until it is back", e);
      } finally {
        connected = false;
      }
      sleep(backoffMillis);
      backoffMillis = Math.min(30_000, backoffMillis * 2);
    }
  }

  /** One event: the copy is replaced (or dropped on DELETED); the resource version moves on. */
  private boolean apply(JsonNode line) {
    if (closed) {
      return true;
    }
    if (line.has("error")) {
      JsonNode error = line.path("error");
      gone =
          error.path("http_code").asInt() == 410
              || error.path("message").asText().contains("too old resource version");
      return true;
    }
    JsonNode event = line.path("result");
    JsonNode workflow = event.path("object");
    String version = workflow.path("metadata").path("resourceVersion").asText("");
    if (!version.isEmpty()) {
      resourceVersion = version;
    }
    String runId = workflow.path("metadata").path("labels").path(ArgoNames.RUN_ID_LABEL).asText("");
    Copy known = byRunId.get(runId);
    if (known == null) {
      return false; // not a run this adapter asked about (yet)
    }
    if ("DELETED".equals(event.path("type").asText())) {
      byRunId.remove(runId);
    } else if (!isOlder(version, known.workflow())) {
      byRunId.put(runId, new Copy(workflow, known.listedAt()));
    }
    return false;
  }

  /** Resource versions are opaque; etcd's are numbers, and then an older event is ignored. */
  private static boolean isOlder(String version, JsonNode known) {
    String knownVersion = known.path("metadata").path("resourceVersion").asText("");
    try {
      return Long.parseLong(version) < Long.parseLong(knownVersion);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed = true;
    Thread running;
    synchronized (this) {
      running = thread;
    }
    if (running != null) {
      running.interrupt();
    }
  }
}
