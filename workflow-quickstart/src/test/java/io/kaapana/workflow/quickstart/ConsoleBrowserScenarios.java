package io.kaapana.workflow.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaapana.workflow.client.WorkflowApiClient;
import io.kaapana.workflow.client.model.CreateWorkflow;
import io.kaapana.workflow.client.model.CreateWorkflowRun;
import io.kaapana.workflow.client.model.WorkflowRun;
import io.quarkus.test.common.http.TestHTTPResource;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The web console in a real headless browser against the quick start on its embedded defaults (the
 * local engine's adapter embedded, the two samples posted): what a newcomer clicks through. {@link
 * ConsoleChromiumTest} and {@link ConsoleFirefoxTest} run these; each test leaves screenshots in
 * target/console-screenshots/<browser>.
 */
abstract class ConsoleBrowserScenarios {

  abstract Browser.Kind kind();

  @TestHTTPResource("/")
  URL root;

  Browser browser;
  WorkflowApiClient api;

  @BeforeEach
  void start() {
    api = WorkflowApiClient.builder(URI.create(root.toString())).build();
    browser = Browser.start(kind(), 1280, 800);
  }

  @AfterEach
  void stop() {
    browser.close();
  }

  private String console(String route) {
    return root.toString().replaceAll("/$", "") + "/ui/#/" + route;
  }

  /** The workflow's page, reached from the list as a newcomer would. */
  private void openWorkflowFromList(String title) {
    browser.find("table[aria-label=Workflows]");
    browser
        .until(d -> d.findElement(By.linkText(title)), "the workflow " + title + " in the list")
        .click();
    browser.untilText("h1", title);
  }

  @Test
  void startsHelloPipelineFromTheGeneratedFormAndWatchesItComplete() throws Exception {
    browser.open(root.toString()); // "/" leads to the console
    browser.until(d -> d.getCurrentUrl().contains("/ui/") ? true : null, "the redirect to /ui/");
    browser.markDocument();
    openWorkflowFromList("hello-pipeline");
    browser.untilText(".validation", "VALID");
    assertThat(browser.all("svg.task-graph [data-task]"))
        .extracting(e -> e.getAttribute("data-task"))
        .containsExactly("fetch", "convert", "report");

    // The form comes from the parameters schema: defaults filled in, bounds shown.
    WebElement name = browser.find("#param-name");
    WebElement delay = browser.find("#param-delay_seconds");
    assertThat(name.getAttribute("value")).isEqualTo("Kaapana");
    assertThat(delay.getAttribute("value")).isEqualTo("2");
    assertThat(delay.getAttribute("type")).isEqualTo("number");
    assertThat(browser.find("[data-field=delay_seconds] .help").getText()).contains("≤ 60");
    browser.screenshot("workflow");

    name.clear();
    name.sendKeys("Browser");
    delay.clear();
    delay.sendKeys("1");
    browser.find("form.start-run button[type=submit]").click();

    browser.until(d -> d.getCurrentUrl().contains("#/runs/") ? true : null, "the run's page");
    browser.untilText("#run-state", "COMPLETED");
    browser.until(
        d ->
            d.findElements(By.cssSelector("svg.task-graph [data-task]")).stream()
                    .allMatch(n -> "COMPLETED".equals(n.getAttribute("data-state")))
                ? true
                : null,
        "every task COMPLETED in the graph");
    assertThat(browser.documentMarked()).as("no reload happened on the way").isTrue();
    String runId = browser.driver.getCurrentUrl().replaceAll(".*#/runs/", "");
    WorkflowRun run = api.runs().get(java.util.UUID.fromString(runId));
    assertThat(run.parameters()).containsEntry("name", "Browser").containsEntry("delay_seconds", 1);
    assertThat(browser.all("svg.gantt .bar")).hasSize(3);
    browser.screenshot("run-completed");
    browser.assertNoConsoleErrors();
  }

  @Test
  void showsTheServersAnswerBesideTheFieldItConcerns() throws Exception {
    browser.open(console("workflows"));
    openWorkflowFromList("hello-pipeline");
    WebElement delay = browser.find("#param-delay_seconds");
    delay.clear();
    delay.sendKeys("999");
    browser.find("form.start-run button[type=submit]").click();
    browser.untilText("#param-delay_seconds-error", "60");
    assertThat(browser.find("#param-delay_seconds").getAttribute("aria-invalid")).isEqualTo("true");
    assertThat(browser.find("#param-name-error").getText()).isEmpty();
    assertThat(browser.driver.getCurrentUrl()).contains("#/workflows/");
    browser.screenshot("start-form-422");
    browser.assertNoConsoleErrors("status of 422");
  }

  @Test
  void followsATasksLogLiveAndReadsItAfterwards() throws Exception {
    WorkflowRun run =
        api.runs()
            .create(
                CreateWorkflowRun.of("hello-pipeline", Map.of("delay_seconds", 2, "name", "Logs")));
    browser.open(console("runs/" + run.id()));
    browser.untilText("#run-state", "RUNNING");
    // The convert task's log, opened while it runs: lines arrive as the task writes them.
    WebElement convertLog =
        browser.until(
            d -> {
              WebElement row = d.findElement(By.cssSelector("tr[data-task=convert]"));
              return "RUNNING".equals(row.getAttribute("data-state"))
                  ? row.findElement(By.linkText("Log"))
                  : null;
            },
            "the convert task RUNNING");
    convertLog.click();
    browser.untilText("h1", "Log of convert");
    browser.until(d -> d.findElement(By.cssSelector(".live")), "the live badge");
    browser.untilText("ol.log", "converting series 1 of 3");
    browser.untilText("ol.log", "converting series 3 of 3");
    browser.untilText(".log-status", "complete");
    assertThat(browser.all("ol.log li[data-severity=INFO]")).isNotEmpty();
    browser.screenshot("task-log");
    // The whole log as a file.
    Path file = browser.downloads().resolve("hello-pipeline-convert-attempt-1.log");
    Files.deleteIfExists(file);
    browser.find("#download-log").click();
    browser.until(
        d -> Files.exists(file) && file.toFile().length() > 0 ? true : null, "the downloaded log");
    assertThat(Files.readString(file)).contains("converting series 3 of 3").contains("exit code 0");

    // Read again once settled: the same lines, as pages.
    browser.driver.navigate().refresh();
    browser.untilText(".log-status", "complete");
    assertThat(browser.find("ol.log").getText())
        .contains("converting series 2 of 3")
        .contains("exit code 0");
    browser.assertNoConsoleErrors();
  }

  @Test
  void cancelsASlowRunAndShowsWhyARetryIsRefused() throws Exception {
    WorkflowRun run =
        api.runs().create(CreateWorkflowRun.of("hello-pipeline", Map.of("delay_seconds", 60)));
    browser.open(console("runs/" + run.id()));
    browser.untilText("#run-state", "RUNNING");

    browser.find("#retry-run").click();
    browser.untilText(".run-actions", "409");
    assertThat(browser.find(".run-actions .allowed").getText()).contains("CANCEL");
    browser.screenshot("run-retry-refused");

    browser.find("#action-reason").sendKeys("browser test");
    browser.find("#cancel-run").click();
    browser.untilText("#run-state", "CANCELED");
    browser.until(
        d ->
            d.findElement(By.cssSelector("svg.task-graph [data-task=fetch]"))
                    .getAttribute("data-state")
                    .equals("CANCELED")
                ? true
                : null,
        "the fetch task CANCELED in the graph");
    browser.untilText("section[aria-label=History]", "browser test");
    browser.assertNoConsoleErrors("status of 409");
  }

  @Test
  void retriesTheFlakySampleAndShowsTheSecondAttempt() throws Exception {
    WorkflowRun run = api.runs().create(CreateWorkflowRun.of("flaky-segmentation", Map.of()));
    browser.open(console("runs/" + run.id()));
    browser.untilText("#run-state", "ERROR");
    assertThat(browser.find("#run-message").getText()).contains("segment");
    browser.markDocument();
    new Select(browser.find("#retry-scope")).selectByValue("FAILED");
    browser.find("#retry-run").click();
    browser.untilText("#run-state", "COMPLETED");
    WebElement segment =
        browser.until(
            d -> {
              WebElement node = d.findElement(By.cssSelector("svg.task-graph [data-task=segment]"));
              return "2".equals(node.getAttribute("data-attempt"))
                      && "COMPLETED".equals(node.getAttribute("data-state"))
                  ? node
                  : null;
            },
            "segment COMPLETED in attempt 2");
    assertThat(segment.getText()).contains("attempt 2");
    assertThat(browser.documentMarked()).isTrue();
    // The first attempt's error is not shown against the attempt that completed.
    assertThat(browser.find("tr[data-task=segment] td.message").getText()).isEmpty();
    // The timeline has both of segment's attempts.
    assertThat(browser.all("svg.gantt .bar[data-task=segment]"))
        .extracting(e -> e.getAttribute("data-attempt"))
        .containsExactlyInAnyOrder("1", "2");
    browser.screenshot("run-retried");
    // The first attempt's log is still there.
    browser.find("svg.task-graph [data-task=segment] rect").click();
    browser.find(".task-panel a.button").click();
    browser.untilText("h1", "Log of segment");
    new Select(browser.find("#attempt")).selectByValue("1");
    browser.untilText("ol.log", "model weights not found");
    // Levels are told apart: the task's stderr is a WARNING, the engine's verdict an ERROR.
    assertThat(browser.find("ol.log li[data-severity=WARNING]").getText())
        .contains("model weights not found");
    assertThat(browser.find("ol.log li[data-severity=ERROR]").getText()).contains("exit code 3");
    browser.screenshot("flaky-attempt-1-log");
    browser.assertNoConsoleErrors();
  }

  @Test
  void aDeepLinkOpensColdAndTheRunsListFollowsNewRuns() throws Exception {
    WorkflowRun first =
        api.runs().create(CreateWorkflowRun.of("hello-pipeline", Map.of("delay_seconds", 0)));
    // A fresh browser with nothing in it opens a run's address pasted from a ticket.
    browser.open(console("runs/" + first.id()));
    browser.untilText("#run-state", "COMPLETED");
    assertThat(browser.find("h1").getText()).contains("hello-pipeline");

    browser.open(console("runs?label_selector=kaapana.experiment%3Dquickstart"));
    browser.find("table[aria-label=Runs] tbody tr");
    assertThat(browser.find("#label-selector").getAttribute("value"))
        .isEqualTo("kaapana.experiment=quickstart");
    browser.until(d -> d.findElement(By.cssSelector(".live[data-state=open]")), "a live stream");
    browser.markDocument();
    WorkflowRun second =
        api.runs().create(CreateWorkflowRun.of("hello-pipeline", Map.of("delay_seconds", 0)));
    browser.until(
        d -> d.findElement(By.cssSelector("tr[data-run='" + second.id() + "']")).isDisplayed(),
        "the new run in the list");
    browser.until(
        d -> {
          WebElement r = d.findElement(By.cssSelector("tr[data-run='" + second.id() + "']"));
          return "COMPLETED".equals(r.getAttribute("data-state")) ? true : null;
        },
        "the new run COMPLETED in the list");
    assertThat(browser.documentMarked()).isTrue();
    assertThat(browser.find("[data-count-state=COMPLETED] .count-value").getText())
        .matches("[1-9][0-9]*");
    browser.screenshot("runs");

    // Counts and the list narrow together when a state is picked.
    browser.find("[data-count-state=COMPLETED]").click();
    browser.until(
        d -> d.getCurrentUrl().contains("lifecycle_status=COMPLETED") ? true : null,
        "the state filter in the address");
    browser.until(
        d ->
            d.findElements(By.cssSelector("table[aria-label=Runs] tbody tr[data-run]")).stream()
                    .allMatch(r -> "COMPLETED".equals(r.getAttribute("data-state")))
                ? true
                : null,
        "only COMPLETED runs");
    browser.assertNoConsoleErrors();
  }

  @Test
  void anInvalidWorkflowStandsOutAndARichSchemaMakesARichForm() throws Exception {
    String tag = kind().name().toLowerCase(java.util.Locale.ROOT) + "-" + System.nanoTime();
    api.workflows()
        .create(
            new CreateWorkflow(
                "console-broken-" + tag,
                "local",
                "tasks:\n  - name: a\n    command: [sh, -c, 'true']\n    depends_on: [nowhere]\n",
                Map.of("type", "object"),
                Map.of("console.test", tag),
                null));
    Map<String, Object> schema =
        Map.of(
            "type",
            "object",
            "required",
            List.of("modality"),
            "additionalProperties",
            false,
            "properties",
            Map.of(
                "modality", Map.of("type", "string", "enum", List.of("CT", "MR", "PET")),
                "slices", Map.of("type", "integer", "minimum", 1, "default", 64),
                "fast", Map.of("type", "boolean", "default", false),
                "roi", Map.of("type", "object", "default", Map.of("x", 1))));
    api.workflows()
        .create(
            new CreateWorkflow(
                "console-form-" + tag,
                "local",
                "tasks:\n  - name: a\n    command: [sh, -c, 'true']\n",
                schema,
                Map.of("console.test", tag),
                null));

    browser.open(console("workflows?label_selector=console.test%3D" + tag));
    browser.until(
        d ->
            d.findElement(By.xpath("//tr[td//a[text()='console-broken-" + tag + "']]"))
                    .getAttribute("class")
                    .contains("invalid")
                ? true
                : null,
        "the broken workflow marked INVALID in the list");
    browser.untilText("table[aria-label=Workflows] tbody", "INVALID");
    browser.screenshot("workflows-invalid");
    browser.driver.findElement(By.linkText("console-broken-" + tag)).click();
    browser.untilText("section.validation.invalid", "nowhere");

    browser.open(console("workflows?label_selector=console.test%3D" + tag));
    browser
        .until(d -> d.findElement(By.linkText("console-form-" + tag)), "the form workflow")
        .click();
    browser.untilText("section.validation", "VALID");
    Select modality = new Select(browser.find("#param-modality"));
    assertThat(modality.getOptions())
        .extracting(WebElement::getText)
        .containsExactly("CT", "MR", "PET");
    assertThat(browser.find("[data-field=modality] label").getText()).contains("*");
    assertThat(new Select(browser.find("#param-fast")).getFirstSelectedOption().getText())
        .isEqualTo("false");
    assertThat(browser.find("#param-slices").getAttribute("value")).isEqualTo("64");
    WebElement roi = browser.find("#param-roi");
    assertThat(roi.getAttribute("value")).contains("\"x\"");
    modality.selectByVisibleText("MR");
    roi.clear();
    roi.sendKeys("{broken");
    browser.find("form.start-run button[type=submit]").click();
    browser.untilText("form.start-run", "roi: not valid JSON");
    roi.clear();
    roi.sendKeys("{\"x\": 2}");
    browser.find("form.start-run button[type=submit]").click();
    browser.until(d -> d.getCurrentUrl().contains("#/runs/") ? true : null, "the run's page");
    UUID runId = UUID.fromString(browser.driver.getCurrentUrl().replaceAll(".*#/runs/", ""));
    assertThat(api.runs().get(runId).parameters())
        .containsEntry("modality", "MR")
        .containsEntry("slices", 64)
        .containsEntry("fast", false)
        .containsEntry("roi", Map.of("x", 2));
    browser.assertNoConsoleErrors();
  }

  @Test
  void labelChipsFilterAndKeyboardReachesEveryControl() throws Exception {
    browser.open(console("workflows"));
    browser.find("table[aria-label=Workflows] tbody tr");
    browser.screenshot("workflows");
    browser
        .until(
            d ->
                d.findElement(
                    By.xpath(
                        "//button[contains(@class,'chip') and text()='kaapana.experiment=quickstart']")),
            "the samples' label chip")
        .click();
    browser.until(
        d -> d.getCurrentUrl().contains("label_selector=kaapana.experiment") ? true : null,
        "the chip's term in the address");
    browser.find("button.chip.removable");
    browser.until(
        d ->
            d.findElements(By.cssSelector("table[aria-label=Workflows] tbody tr a")).size() == 2
                ? true
                : null,
        "the two samples, and nothing else, under the chip's filter");
    browser.find("#label-selector").sendKeys(Keys.END, ",tier=none", Keys.ENTER);
    browser.untilText("table[aria-label=Workflows] tbody", "No workflows match");

    // Tab through a run's page: the graph's tasks take focus and Enter selects one.
    WorkflowRun run =
        api.runs().create(CreateWorkflowRun.of("hello-pipeline", Map.of("delay_seconds", 0)));
    browser.open(console("runs/" + run.id()));
    browser.untilText("#run-state", "COMPLETED");
    WebElement body = browser.find("body");
    boolean reached = false;
    for (int i = 0; i < 40 && !reached; i++) {
      body = browser.driver.switchTo().activeElement();
      body.sendKeys(Keys.TAB);
      reached =
          "convert".equals(browser.driver.switchTo().activeElement().getAttribute("data-task"));
    }
    assertThat(reached).as("the convert task is reachable with Tab").isTrue();
    browser.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
    browser.untilText(".task-panel", "convert");
    browser.untilText(".task-panel", "Open log");
    browser.assertNoConsoleErrors();
  }

  @Test
  void adaptersAndAdminAndANarrowWindow() throws Exception {
    browser.open(console("adapters"));
    browser.untilText("tr[data-adapter=local-embedded]", "ACTIVE");
    assertThat(browser.find("tr[data-adapter=local-embedded]").getText())
        .contains("local")
        .contains("LOG_FOLLOW");
    browser.screenshot("adapters");
    // The runs an adapter holds are one click away.
    browser.find("tr[data-adapter=local-embedded] td:last-child a").click();
    browser.untilText(".chips", "held by local-embedded");
    assertThat(browser.driver.getCurrentUrl())
        .contains("adapter_id=local-embedded")
        .contains("lifecycle_status=CREATED%2CPENDING%2CSCHEDULED%2CRUNNING");

    // On the loopback quick start the caller is the local operator, an admin.
    browser.until(
        d -> d.findElement(By.cssSelector("[data-nav=admin]")).isDisplayed() ? true : null,
        "the Admin link");
    browser.find("[data-nav=admin]").click();
    browser.find("section[aria-label='Audit log'] tbody tr");
    browser.until(d -> d.findElement(By.xpath("//button[text()='Dry run']")), "Dry run").click();
    browser.untilText("section[aria-label=Purge]", "Would delete");
    browser.screenshot("admin");

    // A narrow window: the run's page fits without sideways scrolling.
    WorkflowRun run = api.runs().create(CreateWorkflowRun.of("flaky-segmentation", Map.of()));
    browser.resize(420, 900);
    browser.open(console("runs/" + run.id()));
    browser.untilText("#run-state", "ERROR");
    Number overflow =
        (Number)
            browser.script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
    assertThat(overflow.intValue()).as("sideways overflow in pixels").isLessThanOrEqualTo(0);
    browser.screenshot("run-narrow");
    browser.assertNoConsoleErrors();
  }

  @Test
  void everyAssetComesFromTheServiceItself() {
    browser.open(console("workflows"));
    browser.find("table[aria-label=Workflows] tbody tr");
    @SuppressWarnings("unchecked")
    List<String> loaded =
        (List<String>)
            browser.script(
                "return performance.getEntriesByType('resource').map(e => e.name)"
                    + ".concat([location.href]);");
    String origin = root.toString().replaceAll("/$", "");
    assertThat(loaded).isNotEmpty().allSatisfy(u -> assertThat(u).startsWith(origin));
  }
}
