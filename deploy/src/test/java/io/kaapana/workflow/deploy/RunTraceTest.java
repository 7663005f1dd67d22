package io.kaapana.workflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaapana.workflow.deploy.OtlpReceiver.ReceivedSpan;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's life is one trace across processes: the packaged service and an adapter runtime (the
 * local engine's sidecar, as its image starts it) both export to one OTLP receiver, and the run's
 * creation (in the caller's trace), its claim, the engine submission and the status reports — on
 * both sides of the wire — share the caller's trace id, each span under the one that caused it. The
 * runtime's log, with {@code KAAPANA_LOG_JSON=true}, is JSON lines naming the adapter.
 */
class RunTraceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TRACE_ID = "5b8aa5a2d2c872e8321cf37308d69df2";
  private static final String CALLER_SPAN = "051581bf3cb55c13";
  private static final String SERVICE = "kaapana-workflow-api";
  private static final String ADAPTER = "kaapana-workflow-adapter-local";

  @TempDir Path temp;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void creationClaimSubmissionAndReportsOfARunJoinTheCallersTrace() throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
        OtlpReceiver receiver = new OtlpReceiver();
        PackagedApp service =
            PackagedApp.start(
                PackagedApp.SERVICE,
                dir("service"),
                dir("service-home"),
                Map.of(
                    "QUARKUS_DATASOURCE_JDBC_URL", postgres.getJdbcUrl("postgres", "postgres"),
                    "QUARKUS_DATASOURCE_USERNAME", "postgres",
                    "QUARKUS_DATASOURCE_PASSWORD", "postgres",
                    "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", receiver.endpoint(),
                    "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf",
                    "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms"))) {
      service.awaitReady();
      try (PackagedApp adapter =
          PackagedApp.start(
              adapterRuntimeJar(),
              dir("adapter"),
              dir("adapter-home"),
              Map.of(
                  "KAAPANA_ADAPTER_KIND", "local",
                  "KAAPANA_ADAPTER_ID", "local-traced",
                  "KAAPANA_ADAPTER_PLUGINS", localPlugin().toString(),
                  "KAAPANA_ADAPTER_API_URL", service.url,
                  "KAAPANA_ADAPTER_CLAIM_WAIT", "5s",
                  "KAAPANA_LOCAL_ALLOW_COMMANDS", "true",
                  "KAAPANA_LOG_JSON", "true",
                  "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
                  "OTEL_BSP_SCHEDULE_DELAY", "200"))) {
        runOneTracedRun(service.url, () -> "adapter log:\n" + adapter.output());

        assertOneTrace(receiver, ADAPTER);

        // The runtime's JSON log: every line an object naming the adapter.
        List<String> lines = adapter.outputLines().stream().filter(l -> !l.isBlank()).toList();
        assertThat(lines).isNotEmpty();
        for (String line : lines) {
          JsonNode record = JSON.readTree(line);
          assertThat(record.path("mdc").path("adapter_id").asText())
              .as(line)
              .isEqualTo("local-traced");
        }
        assertThat(lines).anyMatch(l -> l.contains("adapter runtime started"));
      }
    }
  }

  /**
   * Creates a local-engine workflow and a run of it in the caller's trace ({@code TRACE_ID}, {@code
   * CALLER_SPAN}), and waits until the run is COMPLETED.
   */
  private void runOneTracedRun(String url, Description log) throws Exception {
    String workflow =
        send(
                "POST",
                url + "/v1/workflows",
                Map.of(),
                Map.of(
                    "title", "traced",
                    "workflow_engine", "local",
                    "definition", "tasks: [{name: hello, command: [echo, hello]}]"),
                201)
            .path("id")
            .asText();
    String run =
        send(
                "POST",
                url + "/v1/workflow-runs",
                Map.of("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01"),
                Map.of("workflow", Map.of("id", workflow), "parameters", Map.of()),
                201)
            .path("id")
            .asText();
    awaitUntil(
        () ->
            "COMPLETED"
                .equals(
                    send("GET", url + "/v1/workflow-runs/" + run, Map.of(), null, 200)
                        .path("lifecycle_status")
                        .asText()),
        () -> "the run COMPLETED; " + log.get());
  }

  /**
   * The run's spans, once its reports' spans have arrived from both sides: its creation under the
   * caller's span, and under that the claim, the adapter's {@code engine.submit} and its {@code
   * status report}s, each with the service's span of that request under it. The claim request
   * itself (the adapter's long poll) is not part of the run's trace.
   */
  private static void assertOneTrace(OtlpReceiver receiver, String adapterService)
      throws Exception {
    awaitUntil(
        () -> reportsArrived(receiver.spans(), adapterService),
        () -> "the spans of the run's status reports; received: " + receiver.spans());
    List<ReceivedSpan> trace =
        receiver.spans().stream().filter(s -> s.traceId().equals(TRACE_ID)).toList();

    ReceivedSpan creation =
        single(trace, s -> s.service().equals(SERVICE) && s.parentSpanId().equals(CALLER_SPAN));
    assertThat(creation.name()).isEqualTo("POST /v1/workflow-runs");
    ReceivedSpan claimed =
        single(trace, s -> s.service().equals(SERVICE) && s.name().equals("workflow-run claimed"));
    assertThat(claimed.parentSpanId()).isEqualTo(creation.spanId());
    ReceivedSpan submitted =
        single(trace, s -> s.service().equals(adapterService) && s.name().equals("engine.submit"));
    assertThat(submitted.parentSpanId()).isEqualTo(creation.spanId());
    List<ReceivedSpan> adapterReports = adapterReports(trace, adapterService);
    assertThat(adapterReports).isNotEmpty();
    assertThat(adapterReports).allMatch(s -> s.parentSpanId().equals(creation.spanId()));
    Set<String> reportSpanIds =
        adapterReports.stream().map(ReceivedSpan::spanId).collect(Collectors.toSet());
    assertThat(serviceReports(trace))
        .as("the service's spans of the reports, each under the adapter's")
        .hasSameSizeAs(adapterReports)
        .allMatch(s -> reportSpanIds.contains(s.parentSpanId()));
    assertThat(trace)
        .noneMatch(s -> s.name().startsWith("POST /v1/adapters/") && s.name().endsWith("claims"));
  }

  /**
   * The reports' spans have arrived from both sides: each of the adapter's with the service's span
   * under it, and no span of the service without the adapter's above it.
   */
  /**
   * In the quick start the local adapter runs inside the service: its spans go through the
   * service's OpenTelemetry (QUARKUS_OTEL_*), into the same trace.
   */
  @Test
  void inTheQuickStartTheEmbeddedAdapterTracesThroughTheService() throws Exception {
    try (OtlpReceiver receiver = new OtlpReceiver();
        PackagedApp quickstart =
            PackagedApp.start(
                PackagedApp.QUICKSTART,
                dir("quickstart"),
                dir("quickstart-home"),
                Map.of(
                    "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", receiver.endpoint(),
                    "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf",
                    "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms",
                    "KAAPANA_QUICKSTART_SAMPLES", "false"))) {
      quickstart.awaitReady();
      runOneTracedRun(quickstart.url, () -> "log:\n" + quickstart.output());

      assertOneTrace(receiver, SERVICE);
    }
  }

  private static boolean reportsArrived(List<ReceivedSpan> spans, String adapterService) {
    List<ReceivedSpan> trace = spans.stream().filter(s -> s.traceId().equals(TRACE_ID)).toList();
    Set<String> adapterSpans =
        adapterReports(trace, adapterService).stream()
            .map(ReceivedSpan::spanId)
            .collect(Collectors.toSet());
    Set<String> parentsOfServiceSpans =
        serviceReports(trace).stream().map(ReceivedSpan::parentSpanId).collect(Collectors.toSet());
    return !adapterSpans.isEmpty() && adapterSpans.equals(parentsOfServiceSpans);
  }

  private static List<ReceivedSpan> adapterReports(
      List<ReceivedSpan> trace, String adapterService) {
    return trace.stream()
        .filter(s -> s.service().equals(adapterService) && s.name().equals("status report"))
        .toList();
  }

  private static List<ReceivedSpan> serviceReports(List<ReceivedSpan> trace) {
    return trace.stream()
        .filter(
            s ->
                s.service().equals(SERVICE)
                    && s.name().startsWith("POST /v1/workflow-runs/")
                    && s.name().endsWith("/status"))
        .toList();
  }

  private static ReceivedSpan single(List<ReceivedSpan> spans, Predicate<ReceivedSpan> what) {
    List<ReceivedSpan> found = spans.stream().filter(what).toList();
    assertThat(found).as("exactly one such span in %s", spans).hasSize(1);
    return found.get(0);
  }

  private Path dir(String name) throws IOException {
    return Files.createDirectories(temp.resolve(name));
  }

  /** The adapter runtime's jar, with its libraries beside it in {@code lib/}. */
  private static Path adapterRuntimeJar() throws IOException {
    return only(PackagedApp.ROOT.resolve("adapter-runtime/target"), "adapter-runtime-");
  }

  /** A plugin directory with the local adapter's jar and libraries, as the adapter image has it. */
  private Path localPlugin() throws IOException {
    Path plugins = dir("plugins");
    Path target = PackagedApp.ROOT.resolve("adapter-local/target");
    Path jar = only(target, "adapter-local-");
    Files.copy(jar, plugins.resolve(jar.getFileName()));
    Path libraries = Files.createDirectories(plugins.resolve("plugin-lib"));
    try (Stream<Path> jars = Files.list(target.resolve("plugin-lib"))) {
      for (Path library : jars.toList()) {
        Files.copy(library, libraries.resolve(library.getFileName()));
      }
    }
    return plugins;
  }

  private static Path only(Path dir, String prefix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> jars =
          files
              .filter(
                  p -> {
                    String name = p.getFileName().toString();
                    return name.startsWith(prefix)
                        && name.endsWith(".jar")
                        && !name.endsWith("-sources.jar")
                        && !name.endsWith("-tests.jar");
                  })
              .toList();
      assertThat(jars).as("one %s*.jar in %s (mvn install builds it)", prefix, dir).hasSize(1);
      return jars.get(0);
    }
  }

  private JsonNode send(
      String method, String url, Map<String, String> headers, Object body, int expected)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    headers.forEach(request::header);
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode())
        .as(method + " " + url + ": " + response.body())
        .isEqualTo(expected);
    return JSON.readTree(response.body());
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  private interface Description {
    String get() throws IOException;
  }

  private static void awaitUntil(Check check, Description what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!check.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 60 s: " + what.get());
      }
      Thread.sleep(200);
    }
  }
}
