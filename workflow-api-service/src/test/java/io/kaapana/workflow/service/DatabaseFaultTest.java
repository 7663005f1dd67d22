package io.kaapana.workflow.service;

import static io.kaapana.workflow.service.Api.json;
import static io.kaapana.workflow.service.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The database dies under load and comes back: meanwhile every answer is a success or a 503 problem
 * with Retry-After (never a 500), readiness says DOWN, and afterwards the service serves again by
 * itself.
 */
@QuarkusTest
@TestProfile(DatabaseFaultTest.OwnDatabase.class)
class DatabaseFaultTest {
  /** A database of its own, which the test may crash; the shared one is not started. */
  public static class OwnDatabase implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(RestartablePostgresResource.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
      return true;
    }
  }

  @Test
  void theServiceAnswers503WhileTheDatabaseIsDownAndRecoversByItself() throws Exception {
    String engine = unique("eng");
    String workflowId = Api.createWorkflow(unique("wf"), engine);
    AtomicBoolean running = new AtomicBoolean(true);
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    List<String> badAnswers = new CopyOnWriteArrayList<>();
    ExecutorService load = Executors.newFixedThreadPool(4);
    for (int i = 0; i < 4; i++) {
      boolean writer = i % 2 == 0;
      load.execute(
          () -> {
            while (running.get()) {
              Response r =
                  writer
                      ? Api.createRun(workflowId, Map.of())
                      : json().queryParam("limit", "5").get("/v1/workflow-runs");
              statuses.computeIfAbsent(r.statusCode(), s -> new AtomicInteger()).incrementAndGet();
              if (r.statusCode() >= 500
                  && (r.statusCode() != 503
                      || r.header("Retry-After") == null
                      || !r.asString().contains("\"code\":\"service-unavailable\""))) {
                badAnswers.add(r.statusCode() + " " + r.asString());
              }
            }
          });
    }
    try {
      Awaitility.await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
      RestartablePostgresResource.crash();
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> statuses.containsKey(503));
      json().get("/q/health/ready").then().statusCode(503);
      RestartablePostgresResource.startAgain();
      // back by itself: writes and reads succeed again, and readiness is UP
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () ->
                  Api.createRun(workflowId, Map.of()).statusCode() == 201
                      && json().get("/v1/workflow-runs").statusCode() == 200
                      && json().get("/q/health/ready").statusCode() == 200);
    } finally {
      running.set(false);
      load.shutdown();
      load.awaitTermination(30, TimeUnit.SECONDS);
    }
    assertThat(badAnswers).as("answers other than success or a 503 problem").isEmpty();
    assertThat(statuses.keySet()).contains(200, 201, 503);
  }
}
