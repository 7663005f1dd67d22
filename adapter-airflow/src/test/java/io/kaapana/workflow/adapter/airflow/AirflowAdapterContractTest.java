package io.kaapana.workflow.adapter.airflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaapana.workflow.adapter.spi.AdapterConfig;
import io.kaapana.workflow.adapter.spi.RevisionSpec;
import io.kaapana.workflow.adapter.spi.tck.WorkflowAdapterContractTest;
import io.kaapana.workflow.adapter.support.EngineClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The adapter TCK against a real Airflow of one major version. Every exchange the adapter has with
 * Airflow during the suite is checked against Airflow's OpenAPI document afterwards.
 */
abstract class AirflowAdapterContractTest extends WorkflowAdapterContractTest {

  /** One workflow id per sample for the whole JVM: the DAG is parsed once, then reused. */
  private static final Map<String, String> WORKFLOW_IDS =
      new java.util.concurrent.ConcurrentHashMap<>();

  abstract int major();

  AirflowServer airflow() {
    return AirflowServer.shared(major());
  }

  static Path exchangeLog(int major) {
    return Path.of("target", "airflow-" + major + "-tck-exchanges.ndjson").toAbsolutePath();
  }

  @Override
  protected String factoryId() {
    return "airflow";
  }

  @Override
  protected Duration settleTimeout() {
    return Duration.ofSeconds(120);
  }

  @Override
  protected AdapterConfig config(Path workDirectory) {
    Map<String, String> config = new HashMap<>(airflow().adapterConfig());
    config.put("airflow.dialect", String.valueOf(major()));
    config.put("airflow.exchange-log", exchangeLog(major()).toString());
    return new AdapterConfig(config);
  }

  @Override
  protected Samples samples(Path workDirectory) {
    return new Samples(
        revision("three-tasks"),
        List.of("fetch", "convert", "report"),
        "fetching 3 series for anonymous",
        revision("fails-once"),
        Map.of("fail_first", true),
        "segment",
        revision("sleeps"),
        "wait",
        "waiting for the scanner",
        revision("syntax-error"));
  }

  static RevisionSpec revision(String sample) {
    String workflowId = WORKFLOW_IDS.computeIfAbsent(sample, s -> UUID.randomUUID().toString());
    return new RevisionSpec(workflowId, 1, "tck-" + sample, dag(sample), null, Map.of());
  }

  static String dag(String sample) {
    try (InputStream in =
        AirflowAdapterContractTest.class.getResourceAsStream("/dags/" + sample + ".py")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every exchange recorded so far, read back from the adapter's exchange log. */
  static List<EngineClient.Exchange> recordedExchanges(Path log) throws IOException {
    List<EngineClient.Exchange> exchanges = new ArrayList<>();
    if (Files.exists(log)) {
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        exchanges.add(AirflowHttp.JSON.readValue(line, EngineClient.Exchange.class));
      }
    }
    return exchanges;
  }

  static void assertExchangesMatchOpenApi(int major, Path log) throws IOException {
    AirflowServer.assumeAirflowTestsRun();
    List<EngineClient.Exchange> exchanges = recordedExchanges(log);
    assertThat(exchanges).as("exchanges recorded in " + log).isNotEmpty();
    OpenApiContract contract = OpenApiContract.forAirflow(major);
    List<String> violations = new ArrayList<>();
    for (EngineClient.Exchange exchange : exchanges) {
      violations.addAll(contract.violations(exchange));
    }
    assertThat(violations.stream().distinct().toList())
        .as("exchanges with Airflow %s that depart from %s", major, contract.name())
        .isEmpty();
  }
}
