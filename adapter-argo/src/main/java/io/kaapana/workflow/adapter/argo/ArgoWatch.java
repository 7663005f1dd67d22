package io.kaapana.workflow.adapter.argo;

import com.fasterxml.jackson.databind.JsonNode;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.support.Backoff;
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

  /** A workflow as last seen; a stale one is listed again before it is used. */
  private record Copy(JsonNode workflow, long listedAt, boolean stale) {}

  /** How long the change of a run nobody listed yet is remembered, for a list under way. */
  private static final long UNCLAIMED_NANOS = Duration.ofMinutes(2).toNanos();

  private record Unclaimed(String resourceVersion, long seenAt) {}

  private final ArgoHttp http;
  private final String path;
  private final Map<String, String> fields;
  private final Duration maxAge;
  private final Map<String, Copy> byRunId = new ConcurrentHashMap<>();
  private final Map<String, Unclaimed> unclaimed = new LinkedHashMap<>();
  private volatile String resourceVersion;
  private volatile boolean connected;
  private volatile boolean closed;
  private volatile boolean gone;
  private volatile java.io.Closeable stream;
  private Thread thread;

  ArgoWatch(ArgoHttp http, Map<String, String> fields, Duration maxAge) {
    this.http = http;
    this.path = "/api/v1/workflow-events/" + http.namespace();
    this.fields = fields;
    this.maxAge = maxAge;
  }

  /**
   * A listed copy is kept, and the stream started from the list's resource version when it does not
   * run yet. When the stream brought a newer change of the run while the list was under way (before
   * the run was known here), the copy is kept as already stale: the next observation lists the run
   * again.
   */
  synchronized void listed(String runId, JsonNode workflow, String listResourceVersion) {
    Copy known = byRunId.get(runId);
    if (known == null || !isOlder(version(workflow), known.workflow())) {
      Unclaimed early = unclaimed.remove(runId);
      boolean stale =
          early != null
              && !isOlder(early.resourceVersion(), workflow)
              && !early.resourceVersion().equals(version(workflow));
      byRunId.put(runId, new Copy(workflow, System.nanoTime(), stale));
    }
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
    return connected ? usable(runId) : null;
  }

  /** The kept copy unless it is stale or too old, whether the stream is connected or not. */
  JsonNode usable(String runId) {
    Copy copy = byRunId.get(runId);
    if (copy == null || copy.stale() || System.nanoTime() - copy.listedAt() > maxAge.toNanos()) {
      return null;
    }
    return copy.workflow();
  }

  /** The version the stream resumes from (for tests). */
  String resourceVersion() {
    return resourceVersion;
  }

  /** Runs the adapter no longer holds are forgotten. */
  void retain(java.util.Set<String> runIds) {
    byRunId.keySet().retainAll(runIds);
  }

  private void run() {
    Backoff backoff = new Backoff(500, 30_000);
    while (!closed) {
      boolean broke = false;
      try {
        Map<String, String> query = new LinkedHashMap<>(fields);
        query.put("listOptions.labelSelector", ArgoNames.RUN_ID_LABEL);
        query.put("listOptions.resourceVersion", resourceVersion);
        query.put("listOptions.timeoutSeconds", String.valueOf(STREAM_SECONDS));
        // Bookmarks move the resource version on in a quiet namespace, so a resume finds it.
        query.put("listOptions.allowWatchBookmarks", "true");
        http.stream(
            path,
            query,
            Duration.ofSeconds(STREAM_SECONDS + 30),
            body -> {
              stream = body;
              connected = true;
              if (closed) {
                closeQuietly(body); // closed while the stream was being opened
              }
            },
            this::apply);
      } catch (AdapterException e) {
        if (isTooOld(e.getMessage())) {
          // argo-server v3.7.18 refuses a forgotten resource version before the stream starts
          // (HTTP 400); Kubernetes' own answer, 410 as a line of the stream, is handled in apply.
          gone = true;
        } else {
          LOG.log(Level.FINE, "the workflow-events stream broke; listing until it is back", e);
          broke = true;
        }
      } finally {
        connected = false;
      }
      if (broke) {
        sleep(backoff.next());
        continue;
      }
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
      backoff.reset(); // the server ended the stream after its timeout: resume at once
    }
  }

  private static boolean isTooOld(String message) {
    return message != null && message.contains("too old resource version");
  }

  /** One line of the stream: the copy is replaced (or dropped on DELETED); the version moves on. */
  synchronized boolean apply(JsonNode line) {
    if (closed) {
      return true;
    }
    if (line.has("error")) {
      JsonNode error = line.path("error");
      gone = error.path("http_code").asInt() == 410 || isTooOld(error.path("message").asText());
      return true;
    }
    JsonNode event = line.path("result");
    JsonNode workflow = event.path("object");
    String version = version(workflow);
    if (!version.isEmpty()) {
      resourceVersion = version;
    }
    if ("BOOKMARK".equals(event.path("type").asText())) {
      return false;
    }
    String runId = workflow.path("metadata").path("labels").path(ArgoNames.RUN_ID_LABEL).asText("");
    boolean deleted = "DELETED".equals(event.path("type").asText());
    Copy known = byRunId.get(runId);
    if (known == null) {
      // Perhaps a list of this run is under way: remember that it changed, for a while.
      long now = System.nanoTime();
      unclaimed.values().removeIf(u -> now - u.seenAt() > UNCLAIMED_NANOS);
      unclaimed.put(runId, new Unclaimed(version, now));
      return false;
    }
    if (deleted) {
      byRunId.remove(runId);
    } else if (!isOlder(version, known.workflow())) {
      // Events come in order: this one is newer than whatever made a listed copy stale.
      byRunId.put(runId, new Copy(workflow, known.listedAt(), false));
    }
    return false;
  }

  private static String version(JsonNode workflow) {
    return workflow.path("metadata").path("resourceVersion").asText("");
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
    java.io.Closeable open = stream;
    if (open != null) {
      closeQuietly(open);
    }
    Thread running;
    synchronized (this) {
      running = thread;
    }
    if (running != null) {
      running.interrupt();
    }
  }

  private static void closeQuietly(java.io.Closeable body) {
    try {
      body.close();
    } catch (java.io.IOException e) {
      // closing is all that was wanted
    }
  }
}
