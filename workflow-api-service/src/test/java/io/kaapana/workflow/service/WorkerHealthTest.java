package io.kaapana.workflow.service;

import static io.kaapana.workflow.service.Api.json;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Liveness says DOWN while every request worker is stuck, and UP again once they are free. */
@QuarkusTest
@TestProfile(WorkerHealthTest.FewWorkers.class)
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class WorkerHealthTest {
  public static class FewWorkers implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("quarkus.thread-pool.max-threads", "6");
    }
  }

  @Test
  void livenessFailsWhileNoWorkerCanServeARequest() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    HttpServer adapter = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    adapter.setExecutor(Executors.newCachedThreadPool());
    adapter.createContext(
        "/v1/runs/",
        exchange -> {
          try {
            release.await(); // an adapter that hangs: each log request holds a worker meanwhile
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          byte[] body =
              "{\"lines\":[],\"next_cursor\":null,\"complete\":true}"
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    adapter.start();
    try {
      Api.RunningTask task = Api.runningTask("http://127.0.0.1:" + adapter.getAddress().getPort());
      String runId = task.runId();
      String taskId = task.taskRunId();
      given().get("/q/health/live").then().statusCode(200);

      List<CompletableFuture<Integer>> stuck = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        stuck.add(
            CompletableFuture.supplyAsync(
                () ->
                    json()
                        .get("/v1/workflow-runs/" + runId + "/task-runs/" + taskId + "/logs")
                        .statusCode()));
      }
      Awaitility.await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> given().get("/q/health/live").statusCode() == 503);
      given()
          .get("/q/health/live")
          .then()
          .statusCode(503)
          .body("checks.find { it.name == 'request-workers' }.status", equalTo("DOWN"));

      release.countDown();
      for (CompletableFuture<Integer> request : stuck) {
        request.get();
      }
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> given().get("/q/health/live").statusCode() == 200);
    } finally {
      release.countDown();
      adapter.stop(0);
    }
  }
}
