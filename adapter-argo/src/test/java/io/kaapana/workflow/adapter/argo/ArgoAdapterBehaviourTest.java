package io.kaapana.workflow.adapter.argo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kaapana.workflow.adapter.spi.AdapterConfig;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import io.kaapana.workflow.adapter.spi.Deployment;
import io.kaapana.workflow.adapter.spi.EngineRunState;
import io.kaapana.workflow.adapter.spi.EngineTaskState;
import io.kaapana.workflow.adapter.spi.LogPage;
import io.kaapana.workflow.adapter.spi.LogQuery;
import io.kaapana.workflow.adapter.spi.RetryScope;
import io.kaapana.workflow.adapter.spi.RevisionSpec;
import io.kaapana.workflow.adapter.spi.RunObservation;
import io.kaapana.workflow.adapter.spi.RunRef;
import io.kaapana.workflow.adapter.spi.RunSpec;
import io.kaapana.workflow.adapter.spi.TaskObservation;
import io.kaapana.workflow.adapter.spi.WorkflowAdapter;
import io.kaapana.workflow.adapter.spi.tck.TestAdapterContext;
import io.kaapana.workflow.adapter.support.SwaggerContract;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the TCK does not ask but Argo users rely on, against the stub argo-server: what a submit
 * sends, Argo's own retries as attempts, attempts across retries through Kaapana, stop versus
 * terminate, logs after pod garbage collection, the watch stream and its fallbacks, offloaded node
 * statuses. Every exchange is checked against the Swagger documents as in the TCK.
 */
class ArgoAdapterBehaviourTest {

  @TempDir Path directory;

  private ArgoServerStub argo;
  private WorkflowAdapter adapter;

  private WorkflowAdapter start(ArgoServerStub.Options options) throws Exception {
    argo = ArgoServerStub.start(directory.resolve("argo"), options);
    adapter =
        new ArgoAdapterFactory()
            .create(
                AdapterConfig.of(
                    "argo.url",
                    argo.url(),
                    "argo.namespace",
                    "kaapana",
                    "argo.token",
                    argo.token(),
                    "argo.relist-after",
                    "1m"),
                new TestAdapterContext("test", directory.resolve("data")));
    return adapter;
  }

  @AfterEach
  void stop() {
    if (adapter != null) {
      adapter.close();
    }
    if (argo != null) {
      List<String> violations = argo.violations();
      argo.close();
      assertThat(violations).as("exchanges that depart from argo-server's API").isEmpty();
    }
  }

  @Test
  void aSubmitCarriesParametersAsStringsAndLabelsWithinKubernetesLimits() throws Exception {
    start(ArgoServerStub.Options.defaults());
    RevisionSpec revision = revision("three-tasks");
    Deployment deployment = adapter.deploy(revision);
    RunSpec run =
        new RunSpec(
            new RunRef(UUID.randomUUID().toString(), null, deployment.engineRef(), 1),
            revision,
            Map.of("patient", "P-7", "options", Map.of("fast", true)),
            Map.of("kaapana.experiment", "lung study: 2026/11"),
            List.of());
    String name = adapter.submit(run);

    JsonNode workflow = argo.workflow("kaapana", name);
    assertThat(name).isEqualTo("kaapana-" + run.runId());
    JsonNode labels = workflow.path("metadata").path("labels");
    assertThat(labels.path("kaapana.io/run-id").asText()).isEqualTo(run.runId());
    assertThat(labels.path("kaapana.experiment").asText())
        .as("an invalid label value is shortened and hashed")
        .matches("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?")
        .hasSizeLessThanOrEqualTo(63);
    List<String> parameters = new ArrayList<>();
    workflow
        .path("spec")
        .path("arguments")
        .path("parameters")
        .forEach(p -> parameters.add(p.path("name").asText() + "=" + p.path("value").asText()));
    assertThat(parameters)
        .contains("patient=P-7", "options={\"fast\":true}", "kaapana-task-attempts={}");

    RunObservation done = await(ref(run, name), o -> o.state().isSettled());
    assertThat(done.state()).isEqualTo(EngineRunState.COMPLETED);
    assertThat(lines(ref(run, name), "fetch", 1)).contains("fetching 3 series for P-7");
  }

  @Test
  void argosOwnRetriesAreAttemptsWithTheirOwnLogs() throws Exception {
    start(ArgoServerStub.Options.defaults());
    RunSpec run = submit("retries", Map.of());
    RunRef ref = ref(run, ArgoNames.workflowName(run.runId()));
    RunObservation done = await(ref, o -> o.state().isSettled());

    assertThat(done.state()).isEqualTo(EngineRunState.COMPLETED);
    assertThat(task(done, "flaky").attempt()).isEqualTo(3);
    assertThat(task(done, "flaky").state()).isEqualTo(EngineTaskState.COMPLETED);
    assertThat(task(done, "publish").attempt()).isEqualTo(1);
    assertThat(lines(ref, "flaky", 1)).containsExactly("try 0");
    assertThat(lines(ref, "flaky", 3)).containsExactly("try 2");
  }

  @Test
  void retriesThroughKaapanaCountOnFromTheAttemptsBefore() throws Exception {
    start(ArgoServerStub.Options.defaults());
    RunSpec run = submit("fails-once", Map.of("marker", directory.resolve("marker").toString()));
    RunRef first = ref(run, ArgoNames.workflowName(run.runId()));
    RunObservation failed = await(first, o -> o.state().isSettled());
    assertThat(failed.state()).isEqualTo(EngineRunState.ERROR);
    assertThat(task(failed, "export").state())
        .as("Argo omits a task below a failed one")
        .isEqualTo(EngineTaskState.UPSTREAM_FAILED);

    assertThat(adapter.retry(known(run, failed), RetryScope.FAILED)).isEqualTo(2);
    RunRef second = new RunRef(run.runId(), first.externalId(), first.engineRef(), 2);
    RunObservation done = await(second, o -> o.state().isSettled());
    assertThat(done.state()).isEqualTo(EngineRunState.COMPLETED);
    assertThat(task(done, "prepare").attempt()).isEqualTo(1);
    assertThat(task(done, "segment").attempt()).isEqualTo(2);
    assertThat(task(done, "export").attempt()).as("it never ran before").isEqualTo(1);
    assertThat(lines(second, "segment", 2)).containsExactly("segmented on a later try");
    assertThatThrownBy(() -> adapter.readLogs(query(second, "segment", 1)))
        .isInstanceOfSatisfying(
            AdapterException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
              assertThat(e.getMessage()).contains("gone from Argo");
            });

    // Argo retries only failed workflows (Kaapana refuses a RETRY of a COMPLETED run before).
    assertThatThrownBy(() -> adapter.retry(known(run, done), RetryScope.ALL))
        .isInstanceOfSatisfying(
            AdapterException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.REJECTED));
  }

  @Test
  void aRetryOfACanceledRunRerunsEverythingThatStarted() throws Exception {
    start(ArgoServerStub.Options.defaults());
    RunSpec run = submit("sleeps", Map.of());
    RunRef first = ref(run, ArgoNames.workflowName(run.runId()));
    await(first, o -> state(o, "wait") == EngineTaskState.RUNNING);
    adapter.cancel(first, false);
    RunObservation canceled = await(first, o -> o.state().isSettled());
    assertThat(canceled.state()).isEqualTo(EngineRunState.CANCELED);

    assertThat(adapter.retry(known(run, canceled), RetryScope.ALL)).isEqualTo(2);
    RunRef second = new RunRef(run.runId(), first.externalId(), first.engineRef(), 2);
    RunObservation again = await(second, o -> state(o, "wait") == EngineTaskState.RUNNING);
    assertThat(task(again, "wait").attempt()).isEqualTo(2);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!lines(second, "wait", 2).contains("waiting for the scanner")) {
      assertThat(System.nanoTime()).as("attempt 2 writes its log").isLessThan(deadline);
      Thread.sleep(100);
    }
    adapter.cancel(second, true);
    await(second, o -> o.state().isSettled());
  }

  @Test
  void aCancelThatFindsTheWorkflowJustEndedIsDone() throws Exception {
    // Real argo-server v3.7.18 answers a stop or terminate of an ended workflow with 500 and
    // "cannot shutdown a completed workflow": a run that ends while its cancel is on the way.
    start(ArgoServerStub.Options.defaults().withShutdownFindingItEnded());
    RunSpec run = submit("sleeps", Map.of());
    RunRef ref = ref(run, ArgoNames.workflowName(run.runId()));
    await(ref, o -> state(o, "wait") == EngineTaskState.RUNNING);

    adapter.cancel(ref, false);
    adapter.cancel(ref, true);

    assertThat(argo.requests())
        .filteredOn(r -> r.contains("/stop") || r.contains("/terminate"))
        .as("both were sent and answered 500")
        .hasSize(2);
  }

  @Test
  void stopRunsTheExitHandlerAndTerminateDoesNot() throws Exception {
    start(ArgoServerStub.Options.defaults());
    RunSpec stopped = submit("sleeps", Map.of());
    RunSpec terminated = submit("sleeps", Map.of());
    RunRef stop = ref(stopped, ArgoNames.workflowName(stopped.runId()));
    RunRef terminate = ref(terminated, ArgoNames.workflowName(terminated.runId()));
    await(stop, o -> state(o, "wait") == EngineTaskState.RUNNING);
    await(terminate, o -> state(o, "wait") == EngineTaskState.RUNNING);

    adapter.cancel(stop, false);
    adapter.cancel(terminate, true);
    for (RunRef ref : List.of(stop, terminate)) {
      RunObservation canceled = await(ref, o -> o.state().isSettled());
      assertThat(canceled.state()).isEqualTo(EngineRunState.CANCELED);
      assertThat(canceled.tasks())
          .extracting(t -> t.taskTitle() + " " + t.state())
          .containsExactlyInAnyOrder("wait CANCELED", "after CANCELED");
    }
    assertThat(exitHandlerPhase(stop)).isEqualTo("Succeeded");
    assertThat(exitHandlerPhase(terminate)).isNull();
    assertThat(argo.workflow("kaapana", stop.externalId()).path("status").path("message").asText())
        .isEqualTo("Stopped with strategy 'Stop'");
    assertThat(argo.runningPods()).as("no pod process left").isEmpty();
  }

  @Test
  void logsComeFromTheArchivedArtifactOncePodsAreGone() throws Exception {
    start(ArgoServerStub.Options.defaults().withPodGcAfter(Duration.ofMillis(300)));
    RunSpec run = submit("three-tasks", Map.of());
    RunRef ref = ref(run, ArgoNames.workflowName(run.runId()));
    await(ref, o -> o.state().isSettled());
    LogPage page = adapter.readLogs(query(ref, "fetch", 1));
    Thread.sleep(1_000); // the stub deletes the pods 300 ms after the workflow ended
    LogPage archived = adapter.readLogs(query(ref, "fetch", 1));

    assertThat(archived.lines()).isEqualTo(page.lines());
    assertThat(archived.complete()).isTrue();
    assertThat(argo.requests())
        .anySatisfy(r -> assertThat(r).startsWith("GET /artifacts/kaapana/" + ref.externalId()));
  }

  @Test
  void theWatchStreamServesObservationsAndAListCatchesUpWhenItBreaks() throws Exception {
    start(ArgoServerStub.Options.defaults());
    RunSpec run = submit("sleeps", Map.of());
    RunRef ref = ref(run, ArgoNames.workflowName(run.runId()));
    assertThat(adapter.observeAll(List.of(ref))).hasSize(1); // listed; starts the stream
    awaitStreamConnected();
    long listsBefore = lists();

    RunObservation running = awaitBatch(ref, o -> state(o, "wait") == EngineTaskState.RUNNING);
    assertThat(running.state()).isEqualTo(EngineRunState.RUNNING);
    assertThat(lists()).as("changes arrive through the stream, not lists").isEqualTo(listsBefore);

    argo.dropStreams();
    adapter.cancel(ref, true);
    RunObservation canceled = awaitBatch(ref, o -> o.state().isSettled());
    assertThat(canceled.state()).isEqualTo(EngineRunState.CANCELED);

    // The cluster compacted its history while the stream was away: the stream's resource
    // version is too old (argo-server refuses it with 400), so the adapter lists again and opens
    // a new stream from the new list's version.
    long streamsBefore = streams();
    RunSpec later = submit("three-tasks", Map.of());
    RunRef laterRef = ref(later, ArgoNames.workflowName(later.runId()));
    adapter.observeAll(List.of(ref, laterRef));
    long listsBeforeCompaction = lists();
    argo.compactEvents();
    assertThat(awaitBatch(laterRef, o -> o.state().isSettled()).state())
        .isEqualTo(EngineRunState.COMPLETED);
    assertThat(awaitBatch(ref, o -> o.state().isSettled()).state())
        .isEqualTo(EngineRunState.CANCELED);
    assertThat(lists()).isGreaterThan(listsBeforeCompaction);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (streams() < streamsBefore + 2) {
      assertThat(System.nanoTime()).as("a new stream after the refusal").isLessThan(deadline);
      adapter.observeAll(List.of(ref, laterRef));
      Thread.sleep(100);
    }
    RunSpec third = submit("sleeps", Map.of());
    RunRef thirdRef = ref(third, ArgoNames.workflowName(third.runId()));
    // Listed once; then observations come from the new stream: an observation lists no more.
    long listsAfterRecovery = lists();
    deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    do {
      assertThat(System.nanoTime()).as("the new stream serves observations").isLessThan(deadline);
      listsAfterRecovery = lists();
      adapter.observeAll(List.of(ref, laterRef, thirdRef));
      Thread.sleep(200);
    } while (lists() != listsAfterRecovery);
    assertThat(awaitBatch(thirdRef, o -> state(o, "wait") == EngineTaskState.RUNNING).state())
        .isEqualTo(EngineRunState.RUNNING);
    assertThat(lists())
        .as("after the refusal, changes arrive through the new stream again, not lists")
        .isEqualTo(listsAfterRecovery);
    adapter.cancel(thirdRef, true);
  }

  @Test
  void offloadedNodeStatusesAreFetchedWithTheWorkflow() throws Exception {
    start(ArgoServerStub.Options.defaults().withOffloadNodesAbove(2));
    RunSpec run = submit("three-tasks", Map.of());
    RunRef ref = ref(run, ArgoNames.workflowName(run.runId()));
    RunObservation done = awaitBatch(ref, o -> o.state().isSettled());
    assertThat(done.tasks())
        .extracting(TaskObservation::taskTitle)
        .containsExactlyInAnyOrder("fetch", "convert", "report");
    assertThat(done.tasks())
        .allSatisfy(t -> assertThat(t.state()).isEqualTo(EngineTaskState.COMPLETED));
  }

  @Test
  void lintMessagesExplainAnInvalidTemplateAndRetiredTemplatesAreDeleted() throws Exception {
    start(ArgoServerStub.Options.defaults());
    Deployment invalid = adapter.deploy(revision("undefined-template"));
    assertThat(invalid.valid()).isFalse();
    assertThat(invalid.messages())
        .singleElement()
        .asString()
        .contains("template name 'nowhere' undefined");
    assertThat(argo.templateNames("kaapana")).isEmpty();

    RevisionSpec revision = revision("three-tasks");
    Deployment valid = adapter.deploy(revision);
    assertThat(argo.templateNames("kaapana")).containsExactly(valid.engineRef());
    adapter.retire(revision.workflowId(), List.of(valid.engineRef()));
    assertThat(argo.templateNames("kaapana")).isEmpty();

    // A template deleted behind the adapter's back comes back with the next submit.
    RunSpec run =
        new RunSpec(
            new RunRef(UUID.randomUUID().toString(), null, valid.engineRef(), 1),
            revision,
            Map.of(),
            Map.of(),
            List.of());
    String name = adapter.submit(run);
    assertThat(argo.templateNames("kaapana")).containsExactly(valid.engineRef());
    assertThat(await(ref(run, name), o -> o.state().isSettled()).state())
        .isEqualTo(EngineRunState.COMPLETED);
  }

  @Test
  void theSwaggerCheckCatchesWhatArgoServerWouldRefuse() throws Exception {
    SwaggerContract contract = SwaggerContract.load("argo-workflows-4.1.2-swagger.json");
    JsonNode body =
        ArgoHttp.JSON.readTree(
            "{\"namespace\":\"kaapana\",\"resourceKind\":\"WorkflowTemplate\","
                + "\"submitOptions\":{\"priority\":\"high\",\"parameters\":\"a=b\"}}");
    assertThat(
            String.join(
                "\n",
                contract.violations(
                    "POST", "/api/v1/workflows/kaapana/submit", Map.of("dryRun", "true"), body)))
        .contains("query parameter dryRun is not declared")
        .contains("/submitOptions/priority")
        .contains("/submitOptions/parameters");
    assertThat(contract.violations("PUT", "/api/v1/workflows/kaapana/x/explode", Map.of(), null))
        .singleElement()
        .asString()
        .contains("no such path");
    JsonNode nodeWithoutId =
        ArgoHttp.JSON.readTree(
            "{\"metadata\":{\"name\":\"w\"},\"spec\":{},"
                + "\"status\":{\"nodes\":{\"w\":{\"name\":\"w\",\"phase\":3}}}}");
    assertThat(
            String.join(
                "\n",
                contract.responseViolations(
                    "GET", "/api/v1/workflows/kaapana/w", 200, nodeWithoutId)))
        .contains("/status/nodes/w")
        .contains("id");
    assertThat(
            contract.responseViolations(
                "GET", "/api/v1/version", 200, ArgoHttp.JSON.readTree("{}")))
        .isNotEmpty();
  }

  // --- helpers -----------------------------------------------------------------------------

  private RunSpec submit(String sample, Map<String, Object> parameters) throws Exception {
    RevisionSpec revision = revision(sample);
    Deployment deployment = adapter.deploy(revision);
    assertThat(deployment.valid()).as("%s", deployment.messages()).isTrue();
    RunSpec run =
        new RunSpec(
            new RunRef(UUID.randomUUID().toString(), null, deployment.engineRef(), 1),
            revision,
            parameters,
            Map.of(),
            List.of());
    adapter.submit(run);
    return run;
  }

  private static RevisionSpec revision(String sample) {
    return new RevisionSpec(
        UUID.randomUUID().toString(),
        1,
        sample,
        ArgoAdapterContractTest.template(sample),
        null,
        Map.of());
  }

  private static RunRef ref(RunSpec run, String externalId) {
    return new RunRef(run.runId(), externalId, run.ref().engineRef(), run.ref().attempt());
  }

  private static RunSpec known(RunSpec run, RunObservation observed) {
    return new RunSpec(
        new RunRef(run.runId(), observed.externalId(), run.ref().engineRef(), observed.attempt()),
        run.revision(),
        run.parameters(),
        run.labels(),
        observed.tasks());
  }

  private static LogQuery query(RunRef ref, String task, int attempt) {
    return new LogQuery(ref, task, null, attempt, null, 1000);
  }

  private List<String> lines(RunRef ref, String task, int attempt) throws Exception {
    return adapter.readLogs(query(ref, task, attempt)).lines().stream()
        .map(LogPage.LogLine::message)
        .toList();
  }

  private static TaskObservation task(RunObservation observation, String title) {
    return observation.tasks().stream()
        .filter(t -> t.taskTitle().equals(title))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no task " + title + " in " + observation));
  }

  private static EngineTaskState state(RunObservation observation, String title) {
    return observation.tasks().stream()
        .filter(t -> t.taskTitle().equals(title))
        .map(TaskObservation::state)
        .findFirst()
        .orElse(null);
  }

  private String exitHandlerPhase(RunRef ref) {
    JsonNode nodes = argo.workflow("kaapana", ref.externalId()).path("status").path("nodes");
    for (JsonNode node : nodes) {
      if (node.path("name").asText().equals(ref.externalId() + ".onExit")) {
        return node.path("phase").asText();
      }
    }
    return null;
  }

  private long lists() {
    return argo.requests().stream().filter("GET /api/v1/workflows/kaapana"::equals).count();
  }

  private long streams() {
    return argo.requests().stream()
        .filter(r -> r.startsWith("GET /api/v1/workflow-events/"))
        .count();
  }

  private void awaitStreamConnected() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (argo.requests().stream().noneMatch(r -> r.startsWith("GET /api/v1/workflow-events/"))) {
      assertThat(System.nanoTime()).as("the adapter opened the stream").isLessThan(deadline);
      Thread.sleep(50);
    }
    Thread.sleep(200);
  }

  private RunObservation await(RunRef ref, Predicate<RunObservation> done) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      RunObservation observation = adapter.observe(ref);
      if (done.test(observation)) {
        return observation;
      }
      assertThat(System.nanoTime()).as("waiting; last seen %s", observation).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private RunObservation awaitBatch(RunRef ref, Predicate<RunObservation> done) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      List<RunObservation> batch = adapter.observeAll(List.of(ref));
      if (batch.size() == 1 && done.test(batch.get(0))) {
        return batch.get(0);
      }
      assertThat(System.nanoTime()).as("waiting; last seen %s", batch).isLessThan(deadline);
      Thread.sleep(100);
    }
  }
}
