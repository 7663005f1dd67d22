package io.kaapana.workflow.adapter.local;

import io.kaapana.workflow.adapter.spi.AdapterConfig;
import io.kaapana.workflow.adapter.spi.RevisionSpec;
import io.kaapana.workflow.adapter.spi.tck.WorkflowAdapterContractTest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

class LocalAdapterContractTest extends WorkflowAdapterContractTest {

  @Override
  protected String factoryId() {
    return "local";
  }

  @Override
  protected AdapterConfig config(Path workDirectory) {
    return AdapterConfig.of(
        "local.allow-commands", "true", "local.parallelism", "4", "local.kill-grace", "2s");
  }

  @Override
  protected Samples samples(Path workDirectory) {
    String schema = "{\"type\":\"object\",\"properties\":{\"marker\":{\"type\":\"string\"}}}";
    RevisionSpec succeeding =
        revision(
            """
            tasks:
              - name: extract
                command: [sh, -c, "echo extracting series; echo 'to stderr' >&2"]
              - name: convert
                command: [echo, converting]
                depends_on: [extract]
              - name: report
                command: [echo, done]
                depends_on: [convert]
            """,
            "{\"type\":\"object\"}");
    RevisionSpec failingOnce =
        revision(
            """
            tasks:
              - name: prepare
                command: [echo, preparing]
              - name: flaky
                command: [sh, -c, "if [ -e \\"${params.marker}\\" ]; then echo fine; else touch \\"${params.marker}\\"; echo failing >&2; exit 3; fi"]
                depends_on: [prepare]
              - name: publish
                command: [echo, published]
                depends_on: [flaky]
            """,
            schema);
    RevisionSpec longRunning =
        revision(
            """
            tasks:
              - name: sleeper
                command: [sh, -c, "echo going to sleep; sleep 600"]
            """,
            "{\"type\":\"object\"}");
    RevisionSpec invalid =
        revision(
            """
            tasks:
              - name: a
                command: [echo, a]
                depends_on: [b]
              - name: b
                command: [echo, b]
                depends_on: [a]
            """,
            "{\"type\":\"object\"}");
    return new Samples(
        succeeding,
        List.of("extract", "convert", "report"),
        "extracting series",
        failingOnce,
        Map.of("marker", workDirectory.resolve("flaky-marker").toString()),
        "flaky",
        longRunning,
        "sleeper",
        "going to sleep",
        invalid);
  }

  private static RevisionSpec revision(String definition, String schema) {
    return new RevisionSpec(
        "00000000-0000-7000-8000-000000000001", 1, "tck", definition, schema, Map.of());
  }
}
