package io.kaapana.workflow.adapter.argo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kaapana.workflow.adapter.support.StubHttp;
import io.kaapana.workflow.adapter.support.SwaggerContract;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for argo-server and its workflow controller, for tests on machines without Kubernetes.
 * It answers the REST API the adapter uses, checks every request and every answer against
 * argo-server's published Swagger documents (3.7.18 and 4.1.2; see {@link #violations()}), and runs
 * workflows the way the controller does: {@link StubController} says which behaviours are simulated
 * and how. It listens on loopback only and stops with {@link #close()}.
 */
public final class ArgoServerStub implements AutoCloseable {

  /** How the stub behaves; the defaults suit most tests. */
  public record Options(
      String token,
      Duration podGcAfter,
      boolean archiveLogs,
      int offloadNodesAbove,
      int eventHistory,
      boolean shutdownFindsItEnded) {

    /** Token {@code stub-token}, pods collected 2 s after their workflow ends, logs archived. */
    public static Options defaults() {
      return new Options(
          "stub-token", Duration.ofSeconds(2), true, Integer.MAX_VALUE, 10_000, false);
    }

    public Options withPodGcAfter(Duration after) {
      return new Options(
          token, after, archiveLogs, offloadNodesAbove, eventHistory, shutdownFindsItEnded);
    }

    public Options withOffloadNodesAbove(int nodes) {
      return new Options(token, podGcAfter, archiveLogs, nodes, eventHistory, shutdownFindsItEnded);
    }

    /**
     * Every stop and terminate is answered as if the workflow had ended just before it arrived (the
     * race between a run's last step and a cancel).
     */
    public Options withShutdownFindingItEnded() {
      return new Options(token, podGcAfter, archiveLogs, offloadNodesAbove, eventHistory, true);
    }
  }

  static final String VERSION = "v3.7.18+kaapana-stub";
  private static final Pattern NAMESPACED = Pattern.compile("^/api/v1/([a-z-]+)/([^/]+)(/.*)?$");

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<SwaggerContract> contracts =
      List.of(
          SwaggerContract.load("argo-workflows-3.7.18-swagger.json"),
          SwaggerContract.load("argo-workflows-4.1.2-swagger.json"));
  private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private final Options options;
  private final StubController controller;

  private ArgoServerStub(Path workDirectory, Options options) throws IOException {
    this.options = options;
    this.controller = new StubController(workDirectory, options, violations::add);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  public static ArgoServerStub start(Path workDirectory) throws IOException {
    return start(workDirectory, Options.defaults());
  }

  public static ArgoServerStub start(Path workDirectory, Options options) throws IOException {
    return new ArgoServerStub(Files.createDirectories(workDirectory), options);
  }

  /**
   * Runs the stub on its own, for trying the adapter by hand: {@code [work directory]}; prints its
   * URL and token, and stops with the process.
   */
  public static void main(String[] args) throws Exception {
    Path directory = Path.of(args.length > 0 ? args[0] : "target/argo-stub");
    ArgoServerStub stub = start(directory.toAbsolutePath());
    Runtime.getRuntime().addShutdownHook(new Thread(stub::close));
    System.out.println("argo-server stub at " + stub.url() + " token " + stub.token());
    int reported = 0;
    while (true) {
      List<String> violations = stub.violations();
      for (String violation : violations.subList(reported, violations.size())) {
        System.out.println("departs from argo-server's API: " + violation);
      }
      reported = violations.size();
      Thread.sleep(1_000);
    }
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public String token() {
    return options.token();
  }

  /**
   * Every request and answer that does not match a Swagger document, and every failure of the
   * simulation itself, one message each.
   */
  public List<String> violations() {
    synchronized (violations) {
      return List.copyOf(violations);
    }
  }

  /** {@code METHOD path} of every request so far. */
  public List<String> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** Pids of the pod processes still running (a stopped workflow must leave none). */
  public List<Long> runningPods() {
    return controller.runningPods();
  }

  /** The names of the WorkflowTemplates in a namespace. */
  public List<String> templateNames(String namespace) {
    return controller.templateNames(namespace);
  }

  /** A workflow as the cluster holds it (with its node statuses), or null. */
  public JsonNode workflow(String namespace, String name) {
    return controller.workflow(namespace, name, true);
  }

  /**
   * Forgets every watch event so far, as etcd's compaction does, and ends the open streams: a
   * stream resumed from an earlier resource version is refused with 400 "too old resource version"
   * (as argo-server v3.7.18 answers; Kubernetes itself says 410 Gone).
   */
  public void compactEvents() {
    controller.compactEvents();
  }

  /** Ends every open {@code workflow-events} stream, as a restarting argo-server would. */
  public void dropStreams() {
    controller.dropStreams();
  }

  @Override
  public void close() {
    controller.close();
    server.stop(0);
    executor.shutdownNow();
  }

  // --- HTTP ----------------------------------------------------------------------------------

  private void handle(HttpExchange exchange) {
    // The exchange is closed only after an error answer was written (a try-with-resources would
    // close it before its catch blocks run).
    try {
      answer(exchange);
    } finally {
      exchange.close();
    }
  }

  private void answer(HttpExchange exchange) {
    try {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath();
      Map<String, String> query = StubHttp.query(exchange.getRequestURI().getRawQuery());
      byte[] raw = exchange.getRequestBody().readAllBytes();
      JsonNode body = raw.length == 0 ? null : ArgoHttp.JSON.readTree(raw);
      requests.add(method + " " + path);
      for (SwaggerContract contract : contracts) {
        violations.addAll(contract.violations(method, path, query, body));
      }
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (options.token() != null && !("Bearer " + options.token()).equals(authorization)) {
        // argo-server's words in client mode: no token at all, or one Kubernetes refused.
        error(
            exchange,
            method,
            path,
            401,
            16,
            authorization == null || authorization.isBlank()
                ? "token not valid. see https://argo-workflows.readthedocs.io/en/latest/faq/"
                : "Unauthorized");
        return;
      }
      route(exchange, method, path, query, body);
    } catch (StubController.ApiError e) {
      error(
          exchange,
          exchange.getRequestMethod(),
          exchange.getRequestURI().getRawPath(),
          e.status,
          e.code,
          e.getMessage());
    } catch (IOException | RuntimeException e) {
      violations.add("the stub failed on " + exchange.getRequestURI() + ": " + e);
      error(
          exchange,
          exchange.getRequestMethod(),
          exchange.getRequestURI().getRawPath(),
          500,
          13,
          String.valueOf(e));
    }
  }

  private void route(
      HttpExchange exchange, String method, String path, Map<String, String> query, JsonNode body)
      throws IOException {
    if (path.equals("/api/v1/version") && method.equals("GET")) {
      ObjectNode version = ArgoHttp.JSON.createObjectNode();
      version.put("version", VERSION);
      for (String field :
          List.of(
              "buildDate",
              "gitCommit",
              "gitTag",
              "gitTreeState",
              "goVersion",
              "compiler",
              "platform")) {
        version.put(field, "stub");
      }
      json(exchange, method, path, 200, version);
      return;
    }
    Matcher artifact =
        Pattern.compile("^/artifacts/([^/]+)/([^/]+)/([^/]+)/([^/]+)$").matcher(path);
    if (artifact.matches() && method.equals("GET")) {
      String text =
          controller.artifact(
              artifact.group(1), artifact.group(2), artifact.group(3), artifact.group(4));
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain");
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
      return;
    }
    Matcher m = NAMESPACED.matcher(path);
    if (!m.matches()) {
      throw new StubController.ApiError(404, 5, "Not Found");
    }
    String kind = m.group(1);
    String namespace = m.group(2);
    String rest = m.group(3) == null ? "" : m.group(3);
    switch (kind) {
      case "workflow-templates" -> templates(exchange, method, path, namespace, rest, body);
      case "workflows" -> workflows(exchange, method, path, namespace, rest, query, body);
      case "workflow-events" -> {
        if (!method.equals("GET") || !rest.isEmpty()) {
          throw new StubController.ApiError(405, 12, "Method Not Allowed");
        }
        events(exchange, method, path, namespace, query);
      }
      default -> throw new StubController.ApiError(404, 5, "Not Found");
    }
  }

  private void templates(
      HttpExchange exchange,
      String method,
      String path,
      String namespace,
      String rest,
      JsonNode body)
      throws IOException {
    if (rest.equals("/lint") && method.equals("POST")) {
      json(exchange, method, path, 200, controller.lintTemplate(namespace, body.path("template")));
    } else if (rest.isEmpty() && method.equals("POST")) {
      json(
          exchange, method, path, 200, controller.createTemplate(namespace, body.path("template")));
    } else if (rest.matches("/[^/]+") && method.equals("GET")) {
      json(exchange, method, path, 200, controller.template(namespace, rest.substring(1)));
    } else if (rest.matches("/[^/]+") && method.equals("PUT")) {
      json(
          exchange,
          method,
          path,
          200,
          controller.updateTemplate(namespace, rest.substring(1), body.path("template")));
    } else if (rest.matches("/[^/]+") && method.equals("DELETE")) {
      controller.deleteTemplate(namespace, rest.substring(1));
      json(exchange, method, path, 200, ArgoHttp.JSON.createObjectNode());
    } else {
      throw new StubController.ApiError(404, 5, "Not Found");
    }
  }

  private void workflows(
      HttpExchange exchange,
      String method,
      String path,
      String namespace,
      String rest,
      Map<String, String> query,
      JsonNode body)
      throws IOException {
    if (rest.isEmpty() && method.equals("GET")) {
      json(
          exchange,
          method,
          path,
          200,
          controller.list(
              namespace,
              query.get("listOptions.labelSelector"),
              query.get("listOptions.limit"),
              query.get("listOptions.continue"),
              query.get("fields")));
      return;
    }
    if (rest.equals("/submit") && method.equals("POST")) {
      json(exchange, method, path, 200, controller.submit(namespace, body));
      return;
    }
    Matcher action = Pattern.compile("^/([^/]+)(?:/([a-z]+))?$").matcher(rest);
    if (!action.matches()) {
      throw new StubController.ApiError(404, 5, "Not Found");
    }
    String name = action.group(1);
    String verb = action.group(2) == null ? "" : action.group(2);
    switch (method + " " + verb) {
      case "GET " -> {
        JsonNode workflow = controller.workflow(namespace, name, true);
        if (workflow == null) {
          throw StubController.notFound("workflows", name);
        }
        json(exchange, method, path, 200, workflow);
      }
      case "PUT stop" ->
          json(exchange, method, path, 200, controller.shutdown(namespace, name, "Stop"));
      case "PUT terminate" ->
          json(exchange, method, path, 200, controller.shutdown(namespace, name, "Terminate"));
      case "PUT retry" ->
          json(exchange, method, path, 200, controller.retry(namespace, name, body));
      case "GET log" -> logs(exchange, method, path, namespace, name, query);
      default -> throw new StubController.ApiError(404, 5, "Not Found");
    }
  }

  private void logs(
      HttpExchange exchange,
      String method,
      String path,
      String namespace,
      String name,
      Map<String, String> query)
      throws IOException {
    if (controller.workflow(namespace, name, false) == null) {
      throw StubController.notFound("workflows", name);
    }
    String pod = query.get("podName");
    boolean timestamps = "true".equals(query.get("logOptions.timestamps"));
    boolean follow = "true".equals(query.get("logOptions.follow"));
    startStream(exchange);
    OutputStream out = exchange.getResponseBody();
    controller.streamLog(
        namespace,
        pod,
        follow,
        line -> {
          ObjectNode entry = ArgoHttp.JSON.createObjectNode();
          ObjectNode result = entry.putObject("result");
          result.put("content", timestamps ? line : line.substring(line.indexOf(' ') + 1));
          result.put("podName", pod);
          return streamLine(out, method, path, entry);
        });
  }

  private void events(
      HttpExchange exchange,
      String method,
      String path,
      String namespace,
      Map<String, String> query)
      throws IOException {
    String tooOld = controller.tooOldVersion(query.get("listOptions.resourceVersion"));
    if (tooOld != null) {
      // argo-server v3.7.18 refuses the stream before it starts: HTTP 400 with the stream's error
      // shape, which its Swagger documents do not describe (so it is not checked against them).
      byte[] bytes = ArgoHttp.JSON.writeValueAsBytes(StubController.streamError(tooOld));
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(400, bytes.length);
      exchange.getResponseBody().write(bytes);
      return;
    }
    startStream(exchange);
    OutputStream out = exchange.getResponseBody();
    String timeout = query.get("listOptions.timeoutSeconds");
    controller.watch(
        namespace,
        query.get("listOptions.labelSelector"),
        query.get("listOptions.resourceVersion"),
        Duration.ofSeconds(timeout == null ? 300 : Long.parseLong(timeout)),
        "true".equals(query.get("listOptions.allowWatchBookmarks")),
        query.get("fields"),
        line -> streamLine(out, method, path, line));
  }

  private static void startStream(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, 0);
  }

  /** One line of a stream; false when the client went away. */
  private boolean streamLine(OutputStream out, String method, String path, JsonNode line) {
    for (SwaggerContract contract : contracts) {
      violations.addAll(contract.responseViolations(method, path, 200, line));
    }
    try {
      out.write(ArgoHttp.JSON.writeValueAsBytes(line));
      out.write('\n');
      out.flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void json(HttpExchange exchange, String method, String path, int status, JsonNode body)
      throws IOException {
    for (SwaggerContract contract : contracts) {
      violations.addAll(contract.responseViolations(method, path, status, body));
    }
    StubHttp.send(exchange, status, body);
  }

  /** grpc-gateway's error body. */
  private void error(
      HttpExchange exchange, String method, String path, int status, int code, String message) {
    try {
      json(exchange, method, path, status, StubHttp.grpcError(code, message));
    } catch (IOException e) {
      // the client went away
    }
  }
}
