package io.kaapana.workflow.service;

import static io.kaapana.workflow.service.Api.json;
import static io.kaapana.workflow.service.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Input that used to get a 500, be accepted without bounds, or forge log lines: each is now a clear
 * 4xx problem that changes nothing.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class InputLimitsTest {
  private static final Path TEST_LOG = Path.of("target", "quarkus-test.log");

  @TestHTTPResource("/")
  URI base;

  private static Map<String, Object> nested(int levels, Map<String, Object> innermost) {
    Map<String, Object> node = innermost;
    for (int i = 0; i < levels; i++) {
      node = Map.of("type", "object", "properties", Map.of("child", node));
    }
    return node;
  }

  @Test
  void thirtyThousandLabelsAre422AndNothingIsCreated() {
    String title = unique("wf");
    Map<String, String> labels = new HashMap<>();
    for (int i = 0; i < 30_000; i++) {
      labels.put("k" + i, "v");
    }
    Map<String, Object> body = Api.workflowBody(title, unique("eng"));
    body.put("labels", labels);
    json()
        .body(body)
        .post("/v1/workflows")
        .then()
        .statusCode(422)
        .body("errors[0].pointer", equalTo("/labels"))
        .body("errors[0].message", containsString("at most 64 labels"));
    json().queryParam("title", title).get("/v1/workflows").then().body("items.size()", equalTo(0));
  }

  @Test
  void aRecursiveSchemaIs422AndSaysWhy() {
    Map<String, Object> body = Api.workflowBody(unique("wf"), unique("eng"));
    body.put(
        "parameters_schema",
        Map.of(
            "type", "object",
            "$defs",
                Map.of(
                    "node",
                    Map.of(
                        "type",
                        "object",
                        "properties",
                        Map.of("child", Map.of("$ref", "#/$defs/node")))),
            "properties", Map.of("root", Map.of("$ref", "#/$defs/node"))));
    json()
        .body(body)
        .post("/v1/workflows")
        .then()
        .statusCode(422)
        .body("errors[0].message", containsString("refer to itself"))
        .body(
            "errors[0].pointer",
            org.hamcrest.Matchers.anyOf(
                org.hamcrest.Matchers.equalTo("/parameters_schema/properties/root"),
                org.hamcrest.Matchers.equalTo("/parameters_schema/$defs/node/properties/child")));
  }

  @Test
  void aSchemaOrParametersNestedTooDeeplyAre422() {
    Map<String, Object> deepSchema = Api.workflowBody(unique("wf"), unique("eng"));
    deepSchema.put("parameters_schema", nested(40, Map.of("type", "string")));
    json()
        .body(deepSchema)
        .post("/v1/workflows")
        .then()
        .statusCode(422)
        .body("errors[0].message", containsString("nests deeper than 32 levels"));

    Map<String, Object> open = Api.workflowBody(unique("wf"), unique("eng"));
    open.put("parameters_schema", Map.of("type", "object"));
    String workflowId =
        json().body(open).post("/v1/workflows").then().statusCode(201).extract().path("id");
    Map<String, Object> parameters = new LinkedHashMap<>();
    Map<String, Object> level = parameters;
    for (int i = 0; i < 500; i++) {
      Map<String, Object> next = new LinkedHashMap<>();
      level.put("a", next);
      level = next;
    }
    json()
        .body(Map.of("workflow", Map.of("id", workflowId), "parameters", parameters))
        .post("/v1/workflow-runs")
        .then()
        .statusCode(422)
        .body("code", equalTo("invalid-parameters"))
        .body("errors[0].message", containsString("nest deeper than 32 levels"));
    json()
        .queryParam("workflow_id", workflowId)
        .get("/v1/workflow-runs")
        .then()
        .body("items.size()", equalTo(0));
  }

  /** Sends raw bytes, returns the status line and headers, and the body. */
  private String[] raw(String request, byte[] body) throws IOException {
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      if (body != null) {
        out.write(body);
      }
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        all.write(buffer, 0, n);
        String text = all.toString(StandardCharsets.UTF_8);
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd >= 0 && text.contains("}")) {
          break;
        }
      }
      String text = all.toString(StandardCharsets.UTF_8);
      int headEnd = text.indexOf("\r\n\r\n");
      return new String[] {text.substring(0, headEnd), text.substring(headEnd + 4)};
    }
  }

  @Test
  void clientsThatPreferHttp2AreAnsweredOverHttp11AndTheirBodiesArrive() throws Exception {
    for (java.net.http.HttpClient.Version version : java.net.http.HttpClient.Version.values()) {
      java.net.http.HttpClient client =
          java.net.http.HttpClient.newBuilder().version(version).build();
      String title = unique("wf");
      java.net.http.HttpResponse<String> created =
          client.send(
              java.net.http.HttpRequest.newBuilder(base.resolve("v1/workflows"))
                  .header("Content-Type", "application/json")
                  .POST(
                      java.net.http.HttpRequest.BodyPublishers.ofString(
                          "{\"title\":\""
                              + title
                              + "\",\"workflow_engine\":\"x\",\"definition\":\"d\"}"))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(created.statusCode()).as(version + ": " + created.body()).isEqualTo(201);
      assertThat(created.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_1_1);
    }
  }

  @Test
  void aSlowUploadThatAsksForAnH2cUpgradeIsRefusedAfterTheBodyTimeoutToo() throws Exception {
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket
          .getOutputStream()
          .write(
              ("POST /v1/workflows HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                      + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n"
                      + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
                      + "{\"title\":")
                  .getBytes(StandardCharsets.US_ASCII));
      // the test profile's body timeout is 5 s
      socket.setSoTimeout(15_000);
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 408").contains("\"code\":\"request-timeout\"");
    }
  }

  @Test
  void aLongUrlIs414AndLargeHeadersAre431AsProblems() throws Exception {
    String[] longUrl =
        raw(
            "GET /v1/workflow-runs?label_selector=team%3D"
                + "a".repeat(20_000)
                + " HTTP/1.1\r\nHost: x\r\n\r\n",
            null);
    assertThat(longUrl[0]).startsWith("HTTP/1.1 414").contains("application/problem+json");
    assertThat(longUrl[1])
        .contains("\"code\":\"uri-too-long\"")
        .contains("at most 16384")
        .doesNotContain("aaaa");
    String[] largeHeaders =
        raw(
            "GET /v1/workflows HTTP/1.1\r\nHost: x\r\nX-Padding: "
                + "b".repeat(25_000)
                + "\r\n\r\n",
            null);
    assertThat(largeHeaders[0]).startsWith("HTTP/1.1 431");
    assertThat(largeHeaders[1]).contains("\"code\":\"headers-too-large\"");
    // beyond the decoder's own limit (64 KiB) it answers before the service sees the request
    String[] huge =
        raw("GET /v1/workflows?title=" + "d".repeat(70_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", null);
    assertThat(huge[0]).contains(" 414 ");
    assertThat(huge[1]).isEmpty();
    // just under the limits: answered as usual
    String[] fits =
        raw(
            "GET /v1/workflows?title="
                + "c".repeat(io.kaapana.workflow.service.rest.RequestGate.MAX_URI_LENGTH - 30)
                + " HTTP/1.1\r\nHost: x\r\n\r\n",
            null);
    assertThat(fits[0]).startsWith("HTTP/1.1 200");
  }

  @Test
  void aBodyWithoutContentTypeIs415AndCreatesNothing() throws Exception {
    String title = unique("wf");
    byte[] body =
        ("{\"title\":\"" + title + "\",\"workflow_engine\":\"x\",\"definition\":\"d\"}")
            .getBytes(StandardCharsets.UTF_8);
    String[] answer =
        raw(
            "POST /v1/workflows HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length + "\r\n\r\n",
            body);
    assertThat(answer[0]).startsWith("HTTP/1.1 415");
    assertThat(answer[1]).contains("\"code\":\"unsupported-media-type\"");
    json().queryParam("title", title).get("/v1/workflows").then().body("items.size()", equalTo(0));
  }

  @Test
  void anOversizedBodyIs413AsAProblemWithoutAnErrorLoggedWithOrWithoutALength() throws Exception {
    String[] large =
        raw(
            "POST /v1/workflows HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 3000000\r\n\r\n",
            null);
    assertThat(large[0]).startsWith("HTTP/1.1 413");
    assertThat(large[1]).contains("\"code\":\"payload-too-large\"");
    ByteArrayOutputStream chunks = new ByteArrayOutputStream();
    byte[] chunk = ("{\"title\":\"" + "a".repeat(65_000)).getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < 40; i++) {
      chunks.write(
          (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      chunks.write(chunk);
      chunks.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    String[] chunked =
        raw(
            "POST /v1/workflows HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n",
            chunks.toByteArray());
    assertThat(chunked[0]).startsWith("HTTP/1.1 413");
    assertThat(chunked[1]).contains("\"code\":\"payload-too-large\"");
    assertThat(Files.readAllLines(TEST_LOG)).noneMatch(l -> l.contains("internal-error"));
  }

  @Test
  void aSlowUploadHoldsNoWorkerAndIsRefusedAfterTheBodyTimeout() throws Exception {
    List<Socket> uploads = new ArrayList<>();
    int threadsBefore = Thread.getAllStackTraces().size();
    try {
      for (int i = 0; i < 50; i++) {
        Socket socket = new Socket(base.getHost(), base.getPort());
        socket
            .getOutputStream()
            .write(
                ("POST /v1/workflows HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 1000\r\n\r\n{\"title\":")
                    .getBytes(StandardCharsets.US_ASCII));
        uploads.add(socket);
      }
      Awaitility.await().pollDelay(Duration.ofMillis(500)).until(() -> true);
      assertThat(Thread.getAllStackTraces().size() - threadsBefore).isLessThan(10);
      json().get("/v1/workflows").then().statusCode(200);
      // the test profile's body timeout is 5 s
      Socket first = uploads.get(0);
      first.setSoTimeout(15_000);
      String answer = new String(first.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 408").contains("\"code\":\"request-timeout\"");
    } finally {
      for (Socket socket : uploads) {
        socket.close();
      }
    }
  }

  @Test
  void valuesFromRequestsCannotForgeLogLines() throws Exception {
    // the detail of a 4xx, which names the bad label value, is logged (at DEBUG in tests)
    Map<String, Object> body = Api.workflowBody(unique("wf"), unique("eng"));
    body.put("labels", Map.of("team", "x\r\nFORGED ERROR line"));
    json().body(body).post("/v1/workflows").then().statusCode(422);
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> Files.readString(TEST_LOG).contains("FORGED ERROR line"));
    assertThat(Files.readAllLines(TEST_LOG))
        .noneMatch(l -> l.startsWith("FORGED"))
        .anyMatch(l -> l.contains("x\\r\\nFORGED ERROR line"));
  }
}
