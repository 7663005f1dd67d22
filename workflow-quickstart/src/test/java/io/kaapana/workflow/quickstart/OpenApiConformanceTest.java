package io.kaapana.workflow.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The committed OpenAPI document tells the truth about the running service: Schemathesis sends
 * generated requests to every operation (examples, coverage, fuzzing, and stateful sequences) and
 * checks that no answer is a server error and that every status, content type and body is the one
 * the document declares. The packaged service runs as the README starts it, on its embedded
 * database.
 */
class OpenApiConformanceTest {
  private static final Path DOCUMENT = ServiceJar.ROOT.resolve("docs/openapi/openapi.json");
  private static final int EXAMPLES_PER_OPERATION = 100;
  private static final int SEED = 42;

  @Test
  void theServiceAnswersAsItsDocumentSays() throws Exception {
    Assumptions.assumeFalse(
        "skip".equals(System.getenv("KAAPANA_SCHEMATHESIS")),
        "the package registry was unreachable when .ci/run installed Schemathesis");
    try (ServiceJar service = ServiceJar.start("schemathesis")) {
      Path report = service.logs.resolve("schemathesis.log");
      Process st =
          new ProcessBuilder(
                  List.of(
                      ServiceJar.ROOT
                          .resolve("scripts/schemathesis/schemathesis-env.sh")
                          .toString(),
                      "st",
                      "run",
                      DOCUMENT.toString(),
                      "--url",
                      service.url,
                      "--checks",
                      "not_a_server_error,status_code_conformance,content_type_conformance,"
                          + "response_schema_conformance",
                      "--phases",
                      "examples,coverage,fuzzing,stateful",
                      "--max-examples",
                      Integer.toString(EXAMPLES_PER_OPERATION),
                      "--seed",
                      Integer.toString(SEED),
                      // One worker: with two, CPython before 3.11.8/3.12.2 can fail Hypothesis's
                      // ast.parse from two threads at once ("AST constructor recursion depth
                      // mismatch", CPython gh-106905), a tool error that is not ours.
                      "--workers",
                      "1",
                      "--request-timeout",
                      "70",
                      "--generation-database",
                      "none",
                      "--no-color",
                      "--report",
                      "junit",
                      "--report-dir",
                      service.logs.toAbsolutePath().toString()))
              .directory(service.logs.toFile()) // its caches stay in target/
              .redirectErrorStream(true)
              .redirectOutput(report.toFile())
              .start();
      assertThat(st.waitFor(20, TimeUnit.MINUTES)).as("Schemathesis finished").isTrue();
      String output = Files.readString(report);
      assertThat(st.exitValue())
          .as("Schemathesis found failures (see %s):%n%s", report, tail(output))
          .isZero();
      assertThat(output).contains("Selected: 31/31").doesNotContain("failures");
    }
  }

  private static String tail(String text) {
    return text.length() <= 6000 ? text : text.substring(text.length() - 6000);
  }
}
