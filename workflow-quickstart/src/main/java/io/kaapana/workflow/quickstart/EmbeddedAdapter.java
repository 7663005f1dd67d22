package io.kaapana.workflow.quickstart;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaapana.workflow.adapter.runtime.AdapterRuntime;
import io.kaapana.workflow.adapter.runtime.RuntimeConfig;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.client.WorkflowApiClient;
import io.kaapana.workflow.client.WorkflowApiClientException;
import io.kaapana.workflow.client.model.CreateWorkflow;
import io.kaapana.workflow.client.model.Workflow;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Starts the local engine's adapter runtime inside the service once it listens, and posts the
 * sample workflows. The runtime talks to the service over HTTP like any sidecar would.
 */
@ApplicationScoped
public class EmbeddedAdapter {
  private static final Logger LOG = Logger.getLogger(EmbeddedAdapter.class);

  @ConfigProperty(name = "kaapana.quickstart.embedded-adapter")
  boolean enabled;

  @ConfigProperty(name = "kaapana.quickstart.samples")
  boolean samples;

  @ConfigProperty(name = "kaapana.quickstart.adapter-id")
  String adapterId;

  @ConfigProperty(name = "kaapana.quickstart.lease-seconds")
  int leaseSeconds;

  @ConfigProperty(name = "quarkus.http.host")
  String host;

  /** Where the local engine keeps its logs and run state; default beside the embedded database. */
  @ConfigProperty(name = "kaapana.quickstart.data-dir")
  java.util.Optional<String> dataDir;

  @Inject ObjectMapper json;

  /** The service's: the embedded adapter's spans go where the service's go (QUARKUS_OTEL_*). */
  @Inject OpenTelemetry openTelemetry;

  private volatile AdapterRuntime runtime;

  void onStart(@Observes StartupEvent event) {
    if (!enabled) {
      return;
    }
    // The HTTP server binds after start-up observers ran; the runtime registers once it answers.
    Thread starter = new Thread(this::startRuntime, "quickstart-adapter");
    starter.setDaemon(true);
    starter.start();
  }

  private void startRuntime() {
    int port = listeningPort();
    String apiHost = host.equals("0.0.0.0") ? "127.0.0.1" : host;
    URI api = URI.create("http://" + apiHost + ":" + port);
    boolean loopback = isLoopback(host);
    if (!loopback) {
      LOG.warnf(
          "the API listens on %s, not on loopback only: the local engine will not run task commands",
          host);
    }
    try {
      runtime =
          AdapterRuntime.start(
              RuntimeConfig.of(
                  Map.of(
                      "adapter.api-url",
                      api.toString(),
                      "adapter.kind",
                      "local",
                      "adapter.id",
                      adapterId,
                      "adapter.lease-seconds",
                      Integer.toString(leaseSeconds),
                      "adapter.sync-interval",
                      "1s",
                      "adapter.data-dir",
                      dataDir.map(Path::of).orElseGet(EmbeddedAdapter::dataDirectory).toString(),
                      "local.allow-commands",
                      Boolean.toString(loopback))),
              openTelemetry);
    } catch (AdapterException e) {
      LOG.errorf("the embedded adapter cannot start: %s", e.getMessage());
      return;
    }
    if (samples) {
      postSamples(api);
    }
    LOG.infof("the web console: %s/ (the API: %s/v1)", api, api);
  }

  /** The port the API listens on; with a random port (tests), the one it was given. */
  private static int listeningPort() {
    String key =
        LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
    for (int i = 0; i < 600; i++) {
      int port = ConfigProvider.getConfig().getOptionalValue(key, Integer.class).orElse(8080);
      if (port > 0) {
        return port;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new IllegalStateException("the HTTP port is unknown");
  }

  /**
   * Stops the adapter while the API still answers, so that it deregisters and frees its runs at
   * once (by {@code ShutdownEvent} the HTTP server is closed already). Needs {@code
   * quarkus.shutdown.delay-enabled}, which adds no wait by itself.
   */
  void onShutdownBegins(@Observes ShutdownDelayInitiatedEvent event) {
    stopRuntime();
  }

  void onStop(@Observes ShutdownEvent event) {
    stopRuntime(); // when the delay phase did not run
  }

  private synchronized void stopRuntime() {
    AdapterRuntime current = runtime;
    runtime = null;
    if (current != null) {
      current.close();
    }
  }

  /** Next to the embedded database's data, so one directory holds the whole quick start. */
  private static Path dataDirectory() {
    return EmbeddedDatabase.dataDirectory().getParent().resolve("local-engine");
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (IOException e) {
      return false;
    }
  }

  private void postSamples(URI api) {
    WorkflowApiClient client =
        WorkflowApiClient.builder(api).actor("quickstart").maxAttempts(10).build();
    for (String sample : new String[] {"hello-pipeline", "flaky-segmentation"}) {
      try {
        Map<String, Object> schema =
            json.readValue(
                resource("samples/" + sample + ".schema.json"),
                new TypeReference<Map<String, Object>>() {});
        Workflow workflow =
            client
                .workflows()
                .create(
                    new CreateWorkflow(
                        sample,
                        "local",
                        resource("samples/" + sample + ".yaml"),
                        schema,
                        Map.of("kaapana.experiment", "quickstart"),
                        "Sample workflow of the quick start"));
        LOG.infof(
            "sample workflow %s is %s (id %s)",
            sample, workflow.validation().status(), workflow.id());
      } catch (WorkflowApiClientException | UncheckedIOException | IOException e) {
        LOG.warnf("could not post the sample workflow %s: %s", sample, e.getMessage());
      }
    }
  }

  private static String resource(String name) {
    try (InputStream in = EmbeddedAdapter.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new UncheckedIOException(new IOException("missing resource " + name));
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
