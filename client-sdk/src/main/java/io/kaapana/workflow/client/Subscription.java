package io.kaapana.workflow.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A live Server-Sent Events stream on its own daemon thread. When the connection drops it
 * reconnects by itself (after the server's {@code retry} hint, backing off to 30 s) and resumes
 * after the last frame it delivered, so no frame is lost or repeated. A problem answer (4xx) ends
 * it: {@link #done()} completes exceptionally.
 */
public final class Subscription implements AutoCloseable {

  /** One SSE frame. */
  record Frame(String id, String event, String data) {}

  /** What a frame handler tells the subscription. */
  enum Next {
    CONTINUE,
    STOP
  }

  private final HttpTransport transport;
  private final Function<String, HttpTransport.Call> callAfter;
  private final Function<Frame, Next> handler;
  private final Consumer<Throwable> connectionErrors;
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private final Thread thread;
  private volatile String lastId;
  private volatile InputStream current;
  private volatile boolean closed;

  Subscription(
      HttpTransport transport,
      String name,
      String startAfter,
      Function<String, HttpTransport.Call> callAfter,
      Function<Frame, Next> handler,
      Consumer<Throwable> connectionErrors) {
    this.transport = transport;
    this.callAfter = callAfter;
    this.handler = handler;
    this.connectionErrors = connectionErrors;
    this.lastId = startAfter;
    this.thread = new Thread(this::loop, name);
    this.thread.setDaemon(true);
  }

  Subscription start() {
    thread.start();
    return this;
  }

  /** Completes when the stream ended for good: closed, finished by the server, or refused. */
  public CompletableFuture<Void> done() {
    return done;
  }

  /** The id of the last frame delivered (the event {@code seq}, or the log cursor). */
  public String lastId() {
    return lastId;
  }

  private void loop() {
    long backoff = 1000;
    boolean renewed = false;
    while (!closed) {
      try {
        HttpTransport.Call call = callAfter.apply(lastId).withTimeout(Duration.ofDays(365));
        HttpRequest request =
            HttpRequest.newBuilder(transport.request(call), (n, v) -> !n.equalsIgnoreCase("Accept"))
                .header("Accept", "text/event-stream")
                .build();
        HttpResponse<InputStream> response =
            transport.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() == 401 && !renewed && transport.renewToken(request)) {
          response.body().close();
          renewed = true; // once: a second 401 with a fresh token is the answer
          continue;
        }
        renewed = false;
        if (response.statusCode() >= 400) {
          try (InputStream body = response.body()) {
            ProblemException problem = HttpTransport.problem(response.statusCode(), body, call);
            if (!problem.retryable()) {
              done.completeExceptionally(problem);
              return;
            }
            connectionErrors.accept(problem);
          }
        } else {
          current = response.body();
          backoff = 1000;
          Long retry = read(response.body());
          if (retry == null) {
            done.complete(null); // the handler said stop
            return;
          }
          backoff = Math.max(retry, 100);
        }
      } catch (IOException e) {
        if (!closed) {
          connectionErrors.accept(e);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
        return;
      }
      if (closed) {
        break;
      }
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      backoff = Math.min(backoff * 2, 30_000);
    }
    done.complete(null);
  }

  /**
   * Reads frames until the stream ends. Returns the server's retry hint (ms) to reconnect, or null
   * when the handler stopped the subscription.
   */
  private Long read(InputStream body) throws IOException {
    long retry = 1000;
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String id = null;
      String event = null;
      StringBuilder data = null;
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isEmpty()) {
          if (data != null) {
            Frame frame = new Frame(id, event == null ? "message" : event, data.toString());
            Next next = handler.apply(frame);
            if (id != null) {
              lastId = id;
            }
            if (next == Next.STOP) {
              return null;
            }
          }
          id = null;
          event = null;
          data = null;
          continue;
        }
        if (line.startsWith(":")) {
          continue; // keep-alive comment
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
          value = value.substring(1);
        }
        switch (field) {
          case "id" -> id = value;
          case "event" -> event = value;
          case "data" ->
              data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
          case "retry" -> {
            if (value.matches("\\d{1,7}")) {
              retry = Long.parseLong(value);
            }
          }
          default -> {
            // unknown fields are ignored, as the SSE specification says
          }
        }
      }
    }
    return closed ? null : retry;
  }

  /** Stops the stream; returns at once. */
  @Override
  public void close() {
    closed = true;
    InputStream stream = current;
    if (stream != null) {
      try {
        stream.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    thread.interrupt();
  }
}
