package io.kaapana.workflow.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaapana.workflow.service.EmbeddedPostgresResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The console behind Kaapana's reverse proxy, which serves the service under /workflow-api and
 * strips the prefix: the root leads to /workflow-api/ui/, and the console's requests, its event
 * stream and its start form all go through the prefix.
 */
@QuarkusTest
@TestProfile(ConsoleBehindPrefixTest.PublicPath.class)
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class ConsoleBehindPrefixTest {

  /** The quick start with KAAPANA_HTTP_PUBLIC_PATH=/workflow-api. */
  public static class PublicPath implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      try {
        Map<String, String> config = new HashMap<>();
        config.put("kaapana.quickstart.embedded-adapter", "true");
        config.put("kaapana.quickstart.samples", "true");
        config.put(
            "kaapana.quickstart.data-dir", Files.createTempDirectory("console-prefix").toString());
        config.put("kaapana.http.public-path", "/workflow-api");
        return config;
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  @TestHTTPResource("/")
  URL root;

  @Test
  void theConsoleWorksUnderThePrefix() throws Exception {
    try (PrefixProxy proxy = new PrefixProxy("/workflow-api", root.getPort());
        Browser browser = Browser.start(1280, 800)) {
      String base = "http://127.0.0.1:" + proxy.port() + "/workflow-api";
      browser.open(base + "/");
      browser.until(
          d -> d.getCurrentUrl().startsWith(base + "/ui/") ? true : null,
          "the redirect to the prefixed console");
      browser.markDocument();
      browser.until(d -> d.findElement(By.linkText("hello-pipeline")), "the sample").click();
      WebElement delay = browser.find("#param-delay_seconds");
      delay.clear();
      delay.sendKeys("0");
      browser.find("form.start-run button[type=submit]").click();
      browser.untilText("#run-state", "COMPLETED");
      browser.until(d -> d.findElement(By.cssSelector(".live[data-state=open]")), "live updates");
      assertThat(browser.documentMarked()).isTrue();
      assertThat(browser.driver.getCurrentUrl()).startsWith(base + "/ui/#/runs/");
      @SuppressWarnings("unchecked")
      List<String> loaded =
          (List<String>)
              browser.script("return performance.getEntriesByType('resource').map(e => e.name);");
      assertThat(loaded).isNotEmpty().allSatisfy(u -> assertThat(u).startsWith(base + "/"));
      browser.screenshot("behind-prefix");
      browser.assertNoConsoleErrors();
    }
  }
}
