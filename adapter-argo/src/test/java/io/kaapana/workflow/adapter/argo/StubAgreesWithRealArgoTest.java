package io.kaapana.workflow.adapter.argo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stub argo-server answers as the real one does: each probe sends the same requests to both
 * ({@link ArgoServerStub} and {@link RealArgo}) and compares status, gRPC code and message. Every
 * difference these probes found was a correction to the stub (and, where the adapter relied on the
 * stub's answer, to the adapter); the module README lists them.
 */
class StubAgreesWithRealArgoTest {

  private static final String NAMESPACE = "kaapana-workflows";
  private static final Duration SETTLE = Duration.ofSeconds(60);

  private static ArgoServerStub stub;
  private static Server stubServer;
  private static Server realServer;

  private final HttpClient http = HttpClient.newHttpClient();

  /** Where the probes go, with the token that may work there. */
  record Server(String name, String url, String token) {}

  /** What a user of argo-server's API sees of an error: the status and grpc-gateway's body. */
  record Answer(int status, int code, String message) {}

  @BeforeAll
  static void startBoth() throws IOException {
    stub = ArgoServerStub.start(Path.of("target", "argo-stub-agreement").toAbsolutePath());
    stubServer = new Server("stub", stub.url(), stub.token());
    RealArgo real = RealArgo.shared();
    realServer = new Server("real", real.url(), Files.readString(real.tokenFile()).strip());
    assertThat(real.namespace()).isEqualTo(NAMESPACE);
  }

  @AfterAll
  static void stopStub() {
    if (stub != null) {
      stub.close();
    }
  }

  @Test
  void lintOfAnUndefinedEntrypoint() throws Exception {
    assertAgree(
        s ->
            post(
                s,
                "/api/v1/workflow-templates/" + NAMESPACE + "/lint",
                lintRequest(template("nope", "main"))));
  }

  @Test
  void lintOfATaskCallingAnUndefinedTemplate() throws Exception {
    ObjectNode spec = template("main", "main");
    ObjectNode main = (ObjectNode) spec.path("spec").path("templates").get(0);
    main.remove("container");
    main.putObject("dag")
        .putArray("tasks")
        .addObject()
        .put("name", "run")
        .put("template", "nowhere");
    assertAgree(
        s -> post(s, "/api/v1/workflow-templates/" + NAMESPACE + "/lint", lintRequest(spec)));
  }

  @Test
  void creatingATemplateTwice() throws Exception {
    String name = unique("twice");
    assertAgree(
        s -> {
          createTemplate(s, name, false);
          return post(s, "/api/v1/workflow-templates/" + NAMESPACE, createRequest(name, false));
        });
  }

  @Test
  void submittingFromAnUnknownTemplate() throws Exception {
    assertAgree(
        s -> post(s, "/api/v1/workflows/" + NAMESPACE + "/submit", submit("nope", unique("w"))));
  }

  @Test
  void submittingTheSameWorkflowNameTwice() throws Exception {
    String template = unique("t");
    String workflow = unique("w");
    assertAgree(
        s -> {
          createTemplate(s, template, false);
          expectOk(
              post(s, "/api/v1/workflows/" + NAMESPACE + "/submit", submit(template, workflow)));
          return post(s, "/api/v1/workflows/" + NAMESPACE + "/submit", submit(template, workflow));
        });
  }

  @Test
  void callsOnAnUnknownWorkflow() throws Exception {
    assertAgree(s -> get(s, "/api/v1/workflows/" + NAMESPACE + "/nope"));
    assertAgree(s -> put(s, "/api/v1/workflows/" + NAMESPACE + "/nope/stop", "{}"));
    assertAgree(s -> put(s, "/api/v1/workflows/" + NAMESPACE + "/nope/retry", "{}"));
    assertAgree(
        s ->
            get(
                s,
                "/api/v1/workflows/"
                    + NAMESPACE
                    + "/nope/log?podName=nope&logOptions.container=main"));
  }

  @Test
  void retryOfARunningWorkflow() throws Exception {
    String workflow = unique("w");
    assertAgree(
        s -> {
          workflowIn(s, workflow, true, "Running");
          Answer answer = put(s, workflowPath(workflow) + "/retry", "{}");
          expectOk(put(s, workflowPath(workflow) + "/terminate", "{}"));
          return answer;
        });
  }

  @Test
  void retryOfASucceededWorkflowWithoutRestartingIt() throws Exception {
    String workflow = unique("w");
    assertAgree(
        s -> {
          workflowIn(s, workflow, false, "Succeeded");
          return put(s, workflowPath(workflow) + "/retry", "{}");
        });
  }

  @Test
  void stopOfAnEndedWorkflow() throws Exception {
    String workflow = unique("w");
    assertAgree(
        s -> {
          workflowIn(s, workflow, false, "Succeeded");
          return put(s, workflowPath(workflow) + "/stop", "{}");
        });
  }

  @Test
  void aStreamFromAForgottenResourceVersion() throws Exception {
    stub.compactEvents(); // the real cluster's history begins after its own start
    assertAgree(
        s ->
            get(
                s,
                "/api/v1/workflow-events/"
                    + NAMESPACE
                    + "?listOptions.resourceVersion=1&listOptions.timeoutSeconds=1"));
  }

  @Test
  void aTokenArgoServerDoesNotAcceptOrNone() throws Exception {
    assertAgree(
        s -> get(new Server(s.name(), s.url(), "not-a-token"), "/api/v1/workflows/" + NAMESPACE));
    assertAgree(s -> get(new Server(s.name(), s.url(), ""), "/api/v1/workflows/" + NAMESPACE));
  }

  @Test
  void aFailedDagOmitsTheTasksBelowTheFailureAndAFailedStepNamesIt() throws Exception {
    for (boolean dag : List.of(true, false)) {
      String template = unique(dag ? "dag" : "steps");
      String workflow = unique("w");
      Map<String, List<String>> seen = new java.util.TreeMap<>();
      for (Server server : List.of(realServer, stubServer)) {
        expectOk(
            post(
                server, "/api/v1/workflow-templates/" + NAMESPACE, failingTemplate(template, dag)));
        expectOk(
            post(server, "/api/v1/workflows/" + NAMESPACE + "/submit", submit(template, workflow)));
        awaitPhase(server, workflow, "Failed");
        seen.put(server.name(), summary(server, workflow));
      }
      assertThat(seen.get("stub")).as("the stub's workflow").isEqualTo(seen.get("real"));
    }
  }

  // --- probes --------------------------------------------------------------------------------

  private interface Probe {
    Answer on(Server server) throws Exception;
  }

  private static void assertAgree(Probe probe) throws Exception {
    Answer real = comparable(probe.on(realServer));
    Answer stubbed = comparable(probe.on(stubServer));
    assertThat(stubbed).as("the stub's answer (the real server's is expected)").isEqualTo(real);
  }

  /** Resource versions in parentheses ("too old resource version: 1 (224)") are the cluster's. */
  private static Answer comparable(Answer answer) {
    return answer.message() == null
        ? answer
        : new Answer(
            answer.status(), answer.code(), answer.message().replaceAll("\\(\\d+\\)", "(…)"));
  }

  private Answer get(Server server, String pathAndQuery) throws Exception {
    return send(server, HttpRequest.newBuilder(URI.create(server.url() + pathAndQuery)).GET());
  }

  private Answer post(Server server, String path, JsonNode body) throws Exception {
    return send(
        server,
        HttpRequest.newBuilder(URI.create(server.url() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
  }

  private Answer put(Server server, String path, String body) throws Exception {
    return send(
        server,
        HttpRequest.newBuilder(URI.create(server.url() + path))
            .PUT(HttpRequest.BodyPublishers.ofString(body)));
  }

  private Answer send(Server server, HttpRequest.Builder request) throws Exception {
    if (!server.token().isEmpty()) {
      request.header("Authorization", "Bearer " + server.token());
    }
    HttpResponse<String> response =
        http.send(
            request
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode body = response.body().isBlank() ? null : ArgoHttp.JSON.readTree(response.body());
    if (response.statusCode() == 200 || body == null) {
      return new Answer(response.statusCode(), 0, null);
    }
    // A unary call's error is {code, message}; a stream's is {error: {grpc_code, message, …}}.
    JsonNode error = body.path("error");
    return error.isObject()
        ? new Answer(
            response.statusCode(), error.path("grpc_code").asInt(), error.path("message").asText())
        : new Answer(
            response.statusCode(), body.path("code").asInt(), body.path("message").asText());
  }

  private static void expectOk(Answer answer) {
    assertThat(answer.status()).as("setting up the probe: %s", answer).isEqualTo(200);
  }

  private void createTemplate(Server server, String name, boolean holds) throws Exception {
    expectOk(post(server, "/api/v1/workflow-templates/" + NAMESPACE, createRequest(name, holds)));
  }

  /** Submits a workflow of one container (held until stopped, or not) and waits for the phase. */
  private void workflowIn(Server server, String workflow, boolean holds, String phase)
      throws Exception {
    String template = unique(holds ? "hold" : "ok");
    createTemplate(server, template, holds);
    expectOk(
        post(server, "/api/v1/workflows/" + NAMESPACE + "/submit", submit(template, workflow)));
    awaitPhase(server, workflow, phase);
  }

  private static String workflowPath(String workflow) {
    return "/api/v1/workflows/" + NAMESPACE + "/" + workflow;
  }

  private void awaitPhase(Server server, String workflow, String phase) throws Exception {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    String seen = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(server.url() + "/api/v1/workflows/" + NAMESPACE + "/" + workflow))
                  .header("Authorization", "Bearer " + server.token())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      seen = ArgoHttp.JSON.readTree(response.body()).path("status").path("phase").asText();
      if (seen.equals(phase)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(server.name() + ": " + workflow + " is " + seen + ", not " + phase);
  }

  /** A template of one container; {@code holds}: it runs until stopped (stub and kwok alike). */
  private static ObjectNode template(String entrypoint, String templateName) {
    ObjectNode template = ArgoHttp.JSON.createObjectNode();
    template.putObject("metadata").put("name", unique("lint"));
    ObjectNode spec = template.putObject("spec");
    spec.put("entrypoint", entrypoint);
    ObjectNode container =
        spec.putArray("templates").addObject().put("name", templateName).putObject("container");
    container.put("image", "busybox:1.36");
    container.putArray("command").add("sh").add("-c").add("echo ok");
    return template;
  }

  private static JsonNode createRequest(String name, boolean holds) {
    ObjectNode template = template("main", "main");
    ((ObjectNode) template.get("metadata")).put("name", name);
    if (holds) {
      ObjectNode main = (ObjectNode) template.path("spec").path("templates").get(0);
      main.putObject("metadata").putObject("labels").put("sim.kwok/hold", "true");
      ((ObjectNode) main.get("container"))
          .putArray("command")
          .add("sh")
          .add("-c")
          .add("exec sleep 600");
    }
    ObjectNode request = ArgoHttp.JSON.createObjectNode();
    request.set("template", template);
    return request;
  }

  /**
   * a fails (exit 2), b and c below it, d beside it; as a DAG, or as steps [a, d] then [b] then
   * [c].
   */
  private static JsonNode failingTemplate(String name, boolean dag) throws IOException {
    String main =
        dag
            ? """
              - name: main
                dag:
                  tasks:
                    - {name: a, template: fail}
                    - {name: b, template: ok, dependencies: [a]}
                    - {name: c, template: ok, dependencies: [b]}
                    - {name: d, template: ok}
              """
            : """
              - name: main
                steps:
                  - [{name: a, template: fail}, {name: d, template: ok}]
                  - [{name: b, template: ok}]
                  - [{name: c, template: ok}]
              """;
    String yaml =
        """
        template:
          metadata: {name: %s}
          spec:
            entrypoint: main
            templates:
        %s
              - name: fail
                metadata: {labels: {sim.kwok/exit: "2"}}
                container: {image: busybox:1.36, command: [sh, -c, "exit 2"]}
              - name: ok
                container: {image: busybox:1.36, command: [sh, -c, "true"]}
        """
            .formatted(name, main.indent(6).stripTrailing());
    return new com.fasterxml.jackson.databind.ObjectMapper(
            new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
        .readTree(yaml);
  }

  /** The workflow's message and its nodes' display names, types, phases and messages, sorted. */
  private List<String> summary(Server server, String workflow) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(server.url() + "/api/v1/workflows/" + NAMESPACE + "/" + workflow))
                .header("Authorization", "Bearer " + server.token())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode status = ArgoHttp.JSON.readTree(response.body()).path("status");
    List<String> summary = new java.util.ArrayList<>();
    // Node ids are hashes of names with the workflow's name in front: same names, same ids.
    summary.add("workflow: " + status.path("message").asText("(no message)"));
    status
        .path("nodes")
        .forEach(
            node ->
                summary.add(
                    node.path("displayName").asText()
                        + " "
                        + node.path("type").asText()
                        + " "
                        + node.path("phase").asText()
                        + " "
                        + node.path("message").asText("")));
    java.util.Collections.sort(summary);
    return summary;
  }

  private static JsonNode lintRequest(ObjectNode template) {
    ObjectNode request = ArgoHttp.JSON.createObjectNode();
    request.set("template", template);
    return request;
  }

  private static JsonNode submit(String template, String workflow) {
    ObjectNode request = ArgoHttp.JSON.createObjectNode();
    request.put("resourceKind", "WorkflowTemplate");
    request.put("resourceName", template);
    request.putObject("submitOptions").put("name", workflow);
    return request;
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
