package io.kaapana.workflow.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, which .ci/run
 * installs) for the console's browser tests: screenshots go to target/console-screenshots, and
 * every page's console errors (script errors, refused content-security-policy loads) fail the test.
 */
final class Browser implements AutoCloseable {
  static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  final ChromeDriver driver;

  private Browser(ChromeDriver driver) {
    this.driver = driver;
  }

  static Browser start(int width, int height) {
    assertThat(CHROMIUM)
        .as("the browser tests need Debian's chromium (apt-get install chromium chromium-driver)")
        .exists();
    assertThat(CHROMEDRIVER).as("the browser tests need chromium-driver").exists();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-extensions",
        "--window-size=" + width + "," + height);
    // Nothing but the service: no component updates, no safe-browsing lookups.
    options.addArguments("--disable-background-networking", "--disable-component-update");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    options.setExperimentalOption(
        "prefs", Map.of("download.default_directory", SCREENSHOTS.toAbsolutePath().toString()));
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    return new Browser(driver);
  }

  void open(String url) {
    driver.get(url);
  }

  void resize(int width, int height) {
    driver.manage().window().setSize(new Dimension(width, height));
  }

  WebElement find(String css) {
    return until(d -> d.findElement(By.cssSelector(css)), "an element " + css);
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** Waits up to 60 s for a condition; the message says what did not appear. */
  <T> T until(ExpectedCondition<T> condition, String what) {
    try {
      return new WebDriverWait(driver, Duration.ofSeconds(60))
          .ignoring(org.openqa.selenium.NoSuchElementException.class)
          .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
          .withMessage(() -> "waited 60 s for " + what + " at " + driver.getCurrentUrl())
          .until(condition);
    } catch (org.openqa.selenium.TimeoutException e) {
      String name = "failed-" + System.currentTimeMillis();
      try {
        screenshot(name);
        Files.writeString(
            SCREENSHOTS.resolve(name + ".txt"),
            driver.getCurrentUrl() + "\n" + driver.findElement(By.tagName("body")).getText());
      } catch (Exception ignored) {
        // the timeout says what went wrong; the picture is a bonus
      }
      throw e;
    }
  }

  /** Waits until the element's text contains the expected text. */
  void untilText(String css, String expected) {
    until(
        d -> {
          String text = d.findElement(By.cssSelector(css)).getText();
          return text.contains(expected) ? text : null;
        },
        css + " to show \"" + expected + "\"");
  }

  Object script(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /** Marks the current document; the mark survives everything except a reload. */
  void markDocument() {
    script("window.__notReloaded = true;");
  }

  boolean documentMarked() {
    return Boolean.TRUE.equals(script("return window.__notReloaded === true;"));
  }

  void screenshot(String name) throws Exception {
    Files.createDirectories(SCREENSHOTS);
    byte[] png = driver.getScreenshotAs(OutputType.BYTES);
    Files.write(SCREENSHOTS.resolve(name + ".png"), png);
  }

  /**
   * Fails on any error the page logged since the last call, except the browser's note of an answer
   * the test asked for (e.g. "status of 422").
   */
  void assertNoConsoleErrors(String... expected) {
    List<String> errors =
        driver.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
            .map(LogEntry::getMessage)
            .filter(m -> java.util.Arrays.stream(expected).noneMatch(m::contains))
            .collect(Collectors.toList());
    assertThat(errors).as("errors in the browser's console").isEmpty();
  }

  @Override
  public void close() {
    driver.quit();
  }
}
