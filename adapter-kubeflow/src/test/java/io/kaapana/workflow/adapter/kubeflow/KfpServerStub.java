package io.kaapana.workflow.adapter.kubeflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kaapana.workflow.adapter.support.StubHttp;
import io.kaapana.workflow.adapter.support.SwaggerContract;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stub of the KFP API server (v2beta1) on loopback: the part of its REST API the Kubeflow adapter
 * uses, with runs simulated by {@link KfpStubEngine}. Every request and every JSON answer is
 * checked against KFP 2.17's Swagger document ({@link #violations()}); what KFP does beyond the
 * document (upload checks, error words, task details) follows KFP 2.17's source as read, see the
 * module README. A request without the stub's bearer token gets 401.
 */
public final class KfpServerStub implements AutoCloseable {

  static final String API = "/apis/v2beta1";
  private static final Pattern PIPELINE_VERSION =
      Pattern.compile("^/pipelines/([^/]+)/versions/([^/]+)$");
  private static final Pattern PIPELINE_VERSIONS = Pattern.compile("^/pipelines/([^/]+)/versions$");
  private static final Pattern PIPELINE_NAME = Pattern.compile("^/pipelines/names/([^/]+)$");
  private static final Pattern RUN_ACTION = Pattern.compile("^/runs/([^/:]+):(terminate|retry)$");
  private static final Pattern RUN = Pattern.compile("^/runs/([^/:]+)$");
  private static final Pattern ARGO_WORKFLOWS = Pattern.compile("^/api/v1/workflows/([^/]+)$");
  private static final Pattern ARGO_LOG =
      Pattern.compile("^/api/v1/workflows/([^/]+)/([^/]+)/log$");

  private final SwaggerContract contract =
      SwaggerContract.load("kfp-2.17-v2beta1-kfp_api_single_file.swagger.json");
  private final SwaggerContract uploads =
      SwaggerContract.load("kfp-2.17-v2beta1-pipeline.upload.swagger.json");

  /** The installation's argo-server, for the pods' logs: under {@code /api/v1}, as Argo's. */
  private final SwaggerContract argo = SwaggerContract.load("argo-workflows-3.7.18-swagger.json");

  private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private final String token;
  private final KfpStubEngine engine;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();

  private KfpServerStub(Path directory, String token) throws IOException {
    this.token = token;
    this.engine = new KfpStubEngine(directory, violations::add);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** A stub with its pods' directories under {@code workDirectory}, token {@code stub-token}. */
  public static KfpServerStub start(Path workDirectory) throws IOException {
    return new KfpServerStub(Files.createDirectories(workDirectory), "stub-token");
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public String token() {
    return token;
  }

  /** Every exchange that departs from the Swagger documents, and every failure of the stub. */
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

  /** The names of the versions of a pipeline (by the pipeline's name); empty if none. */
  public List<String> versionNames(String pipelineName) {
    return engine.versionNames(pipelineName);
  }

  /** The run as the API serves it, or null. */
  public JsonNode run(String runId) {
    return engine.run(runId);
  }

  /** The display name of the experiment a run is in, or null. */
  public String experimentOf(String runId) {
    return engine.experimentOf(runId);
  }

  /** Pids of task processes still running. */
  public List<Long> runningTasks() {
    return engine.runningTasks();
  }

  @Override
  public void close() {
    engine.close();
    server.stop(0);
    executor.shutdownNow();
  }

  // --- HTTP ----------------------------------------------------------------------------------

  private void handle(HttpExchange exchange) {
    try {
      answer(exchange);
    } finally {
      exchange.close();
    }
  }

  private void answer(HttpExchange exchange) {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getRawPath();
    try {
      Map<String, String> query = StubHttp.query(exchange.getRequestURI().getRawQuery());
      byte[] raw = exchange.getRequestBody().readAllBytes();
      String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      boolean multipart = contentType != null && contentType.startsWith("multipart/form-data");
      JsonNode body = raw.length == 0 || multipart ? null : KubeflowHttp.JSON.readTree(raw);
      requests.add(method + " " + path);
      violations.addAll(contractOf(path).violations(method, path, query, body));
      if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        error(exchange, method, path, 401, 16, "Unauthenticated: request is not authenticated");
        return;
      }
      if (path.startsWith("/api/v1/")) {
        argoServer(exchange, method, path, query);
        return;
      }
      if (!path.startsWith(API)) {
        error(exchange, method, path, 404, 5, "Not Found");
        return;
      }
      String route = path.substring(API.length());
      if (route.equals("/pipelines/upload_version") && method.equals("POST")) {
        if (!multipart) {
          violations.add("POST " + path + ": not multipart/form-data");
        }
        uploadVersion(exchange, method, path, query, filePart(raw, contentType));
        return;
      }
      json(exchange, method, path, 200, route(method, route, query, body));
    } catch (KfpStubEngine.ApiError e) {
      error(exchange, method, path, e.status, e.code, e.getMessage());
    } catch (IOException | RuntimeException e) {
      violations.add("the stub failed on " + method + " " + path + ": " + e);
      error(exchange, method, path, 500, 13, String.valueOf(e));
    }
  }

  private JsonNode route(String method, String route, Map<String, String> query, JsonNode body) {
    String namespace = query.getOrDefault("namespace", "");
    Matcher m;
    switch (method + " " + route) {
      case "GET /healthz":
        return KubeflowHttp.JSON
            .createObjectNode()
            .put("multi_user", false)
            .put("pipeline_store", "database");
      case "POST /pipelines":
        return engine.createPipeline(body);
      case "GET /experiments":
        return engine.listExperiments(namespace, query.get("filter"), pageSize(query));
      case "POST /experiments":
        return engine.createExperiment(body);
      case "GET /runs":
        return engine.listRuns(namespace, query.get("filter"), pageSize(query));
      case "POST /runs":
        return engine.createRun(body);
      default:
        break;
    }
    if (method.equals("GET") && (m = PIPELINE_NAME.matcher(route)).matches()) {
      return engine.pipelineByName(decode(m.group(1)), namespace);
    }
    if (method.equals("GET") && (m = PIPELINE_VERSIONS.matcher(route)).matches()) {
      return engine.listVersions(m.group(1), query.get("filter"), pageSize(query));
    }
    if ((m = PIPELINE_VERSION.matcher(route)).matches()) {
      if (method.equals("GET")) {
        return engine.version(m.group(1), m.group(2));
      }
      if (method.equals("DELETE")) {
        engine.deleteVersion(m.group(1), m.group(2));
        return KubeflowHttp.JSON.createObjectNode();
      }
    }
    if (method.equals("POST") && (m = RUN_ACTION.matcher(route)).matches()) {
      if (m.group(2).equals("terminate")) {
        engine.terminate(m.group(1));
      } else {
        engine.retry(m.group(1));
      }
      return KubeflowHttp.JSON.createObjectNode();
    }
    if (method.equals("GET") && (m = RUN.matcher(route)).matches()) {
      return engine.runOrNotFound(m.group(1));
    }
    throw new KfpStubEngine.ApiError(404, 5, "Not Found");
  }

  /** argo-server's part: the version, workflows by label, a pod's log as a stream of lines. */
  private void argoServer(
      HttpExchange exchange, String method, String path, Map<String, String> query)
      throws IOException {
    Matcher m;
    if (method.equals("GET") && path.equals("/api/v1/version")) {
      ObjectNode version = KubeflowHttp.JSON.createObjectNode();
      version.put("version", "v3.7.18+kfp-stub");
      version.put("buildDate", "1970-01-01T00:00:00Z");
      version.put("gitCommit", "stub");
      version.put("gitTag", "v3.7.18");
      version.put("gitTreeState", "clean");
      version.put("goVersion", "none");
      version.put("compiler", "none");
      version.put("platform", "linux/amd64");
      json(exchange, method, path, 200, version);
    } else if (method.equals("GET") && (m = ARGO_WORKFLOWS.matcher(path)).matches()) {
      String selector = query.getOrDefault("listOptions.labelSelector", "");
      String prefix = KubeflowLogs.RUN_ID_LABEL + "=";
      ObjectNode list = KubeflowHttp.JSON.createObjectNode();
      list.putObject("metadata").put("resourceVersion", "1");
      JsonNode workflow =
          selector.startsWith(prefix)
              ? engine.argoWorkflow(selector.substring(prefix.length()), m.group(1))
              : null;
      if (workflow != null) {
        list.putArray("items").add(workflow);
      }
      json(exchange, method, path, 200, list);
    } else if (method.equals("GET") && (m = ARGO_LOG.matcher(path)).matches()) {
      List<String> lines = engine.podLog(query.getOrDefault("podName", ""));
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, 0);
      boolean timestamps = "true".equals(query.get("logOptions.timestamps"));
      for (String line : lines) {
        ObjectNode entry = KubeflowHttp.JSON.createObjectNode();
        ObjectNode result = entry.putObject("result");
        result.put("content", timestamps ? line : line.substring(line.indexOf(' ') + 1));
        result.put("podName", query.get("podName"));
        violations.addAll(argo.responseViolations(method, path, 200, entry));
        exchange.getResponseBody().write(KubeflowHttp.JSON.writeValueAsBytes(entry));
        exchange.getResponseBody().write('\n');
      }
    } else {
      error(exchange, method, path, 404, 5, "Not Found");
    }
  }

  private SwaggerContract contractOf(String path) {
    if (path.startsWith("/api/v1/")) {
      return argo;
    }
    return path.startsWith(API + "/pipelines/upload") ? uploads : contract;
  }

  /** The upload endpoint answers its errors in its own shape (KFP's pipeline_upload_server.go). */
  private void uploadVersion(
      HttpExchange exchange, String method, String path, Map<String, String> query, byte[] file)
      throws IOException {
    try {
      json(exchange, method, path, 200, engine.uploadVersion(query, file));
    } catch (KfpStubEngine.ApiError e) {
      ObjectNode error = KubeflowHttp.JSON.createObjectNode();
      error.put("error_message", e.getMessage());
      error.put("error_details", e.getMessage());
      json(exchange, method, path, e.status, error);
    }
  }

  private static int pageSize(Map<String, String> query) {
    try {
      return Integer.parseInt(query.getOrDefault("page_size", "20"));
    } catch (NumberFormatException e) {
      throw new KfpStubEngine.ApiError(400, 3, "Invalid page size");
    }
  }

  /** The {@code uploadfile} part of a multipart body, or null. */
  private static byte[] filePart(byte[] raw, String contentType) {
    Matcher boundary = Pattern.compile("boundary=([^;]+)").matcher(contentType);
    if (!boundary.find()) {
      return null;
    }
    String body = new String(raw, StandardCharsets.ISO_8859_1);
    for (String part : body.split(Pattern.quote("--" + boundary.group(1)))) {
      int split = part.indexOf("\r\n\r\n");
      if (split > 0 && part.substring(0, split).contains("name=\"uploadfile\"")) {
        String content = part.substring(split + 4);
        if (content.endsWith("\r\n")) {
          content = content.substring(0, content.length() - 2);
        }
        return content.getBytes(StandardCharsets.ISO_8859_1);
      }
    }
    return null;
  }

  private void json(HttpExchange exchange, String method, String path, int status, JsonNode body)
      throws IOException {
    if (!body.has("error_message")) { // the upload's own error shape is not in its document
      violations.addAll(contractOf(path).responseViolations(method, path, status, body));
    }
    StubHttp.send(exchange, status, body);
  }

  /** grpc-gateway's error body ({@code googleRpcStatus}). */
  private void error(
      HttpExchange exchange, String method, String path, int status, int code, String message) {
    try {
      json(exchange, method, path, status, StubHttp.grpcError(code, message));
    } catch (IOException e) {
      // the client went away
    }
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }
}
