package io.kaapana.workflow.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.bidi.log.BaseLogEntry;
import org.openqa.selenium.bidi.log.LogLevel;
import org.openqa.selenium.bidi.module.LogInspector;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.firefox.FirefoxDriver;
import org.openqa.selenium.firefox.FirefoxOptions;
import org.openqa.selenium.firefox.GeckoDriverService;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.remote.RemoteWebDriver;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless browser for the console's tests: Debian's {@code chromium} with {@code
 * chromium-driver}, or Debian's {@code firefox-esr} with geckodriver (built by
 * scripts/tools/geckodriver-env.sh); .ci/run installs both. Screenshots go to
 * target/console-screenshots/<browser>, and every page's console errors (script errors, refused
 * content-security-policy loads) fail the test.
 */
final class Browser implements AutoCloseable {
  /** The browsers the console is tested in. */
  enum Kind {
    CHROMIUM,
    FIREFOX
  }

  static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path FIREFOX = Path.of("/usr/bin/firefox-esr");

  final RemoteWebDriver driver;
  private final Kind kind;

  /** Firefox reports its console over WebDriver BiDi: errors collected as they come. */
  private final List<String> firefoxErrors = new CopyOnWriteArrayList<>();

  private LogInspector firefoxLog;

  private Browser(RemoteWebDriver driver, Kind kind) {
    this.driver = driver;
    this.kind = kind;
  }

  static Browser start(int width, int height) {
    return start(Kind.CHROMIUM, width, height);
  }

  static Browser start(Kind kind, int width, int height) {
    return kind == Kind.FIREFOX ? firefox(width, height) : chromium(width, height);
  }

  private static Browser firefox(int width, int height) {
    assertThat(FIREFOX)
        .as("the Firefox tests need Debian's firefox-esr (apt-get install firefox-esr)")
        .exists();
    FirefoxOptions options = new FirefoxOptions();
    options.setBinary(FIREFOX);
    options.addArguments("-headless", "--width=" + width, "--height=" + height);
    options.setCapability("webSocketUrl", true);
    // Nothing but the service: no telemetry, update or safe-browsing traffic.
    options.addPreference("app.update.enabled", false);
    options.addPreference("toolkit.telemetry.enabled", false);
    options.addPreference("datareporting.policy.dataSubmissionEnabled", false);
    options.addPreference("browser.safebrowsing.malware.enabled", false);
    options.addPreference("browser.safebrowsing.phishing.enabled", false);
    options.addPreference("network.captive-portal-service.enabled", false);
    options.addPreference("browser.download.folderList", 2);
    options.addPreference("browser.download.dir", downloadsOf(Kind.FIREFOX).toString());
    options.addPreference("browser.download.useDownloadDir", true);
    options.addPreference("browser.download.always_ask_before_handling_new_types", false);
    options.addPreference("browser.helperApps.neverAsk.saveToDisk", "text/plain");
    GeckoDriverService service =
        new GeckoDriverService.Builder().usingDriverExecutable(geckodriver().toFile()).build();
    Browser browser = new Browser(new FirefoxDriver(service, options), Kind.FIREFOX);
    browser.firefoxLog = new LogInspector(browser.driver);
    browser.firefoxLog.onLog(
        entry -> {
          BaseLogEntry logged =
              entry
                  .getConsoleLogEntry()
                  .<BaseLogEntry>map(e -> e)
                  .or(() -> entry.getJavascriptLogEntry().map(e -> e))
                  .or(() -> entry.getGenericLogEntry().map(e -> e))
                  .orElse(null);
          if (logged != null && logged.getLevel() == LogLevel.ERROR) {
            browser.firefoxErrors.add(logged.getText());
          }
        });
    browser.driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    return browser;
  }

  /** geckodriver from the tools cache, built there on first use. */
  private static Path geckodriver() {
    try {
      Process script =
          new ProcessBuilder(
                  ServiceJar.ROOT.resolve("scripts/tools/geckodriver-env.sh").toString(), "path")
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      String path = new String(script.getInputStream().readAllBytes()).trim();
      assertThat(script.waitFor()).as("geckodriver-env.sh path").isZero();
      return Path.of(path);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Browser chromium(int width, int height) {
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
        "prefs",
        Map.of(
            "download.default_directory",
            downloadsOf(Kind.CHROMIUM).toString(),
            "download.prompt_for_download",
            false));
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    return new Browser(driver, Kind.CHROMIUM);
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
            screenshots().resolve(name + ".txt"),
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

  /**
   * Takes a screenshot, after checking that the page shows no stray "null" or "undefined" (what the
   * DOM's own append makes of a missing value).
   */
  void screenshot(String name) throws Exception {
    String text = driver.findElement(org.openqa.selenium.By.tagName("body")).getText();
    assertThat(text)
        .as("text on the page %s", driver.getCurrentUrl())
        .doesNotContainPattern("(?m)^\\s*(null|undefined)\\s*$")
        .doesNotContain("nullnull")
        .doesNotContain("undefined");
    Path directory = Files.createDirectories(screenshots());
    byte[] png = driver.getScreenshotAs(OutputType.BYTES);
    Files.write(directory.resolve(name + ".png"), png);
  }

  /**
   * Fails on any error the page logged since the last call, except the browser's note of an answer
   * the test asked for (e.g. "status of 422").
   */
  void assertNoConsoleErrors(String... expected) {
    List<String> logged;
    if (kind == Kind.FIREFOX) {
      logged = List.copyOf(firefoxErrors);
      firefoxErrors.clear();
    } else {
      logged =
          driver.manage().logs().get(LogType.BROWSER).getAll().stream()
              .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
              .map(LogEntry::getMessage)
              .collect(Collectors.toList());
    }
    List<String> errors =
        logged.stream()
            .filter(m -> java.util.Arrays.stream(expected).noneMatch(m::contains))
            .collect(Collectors.toList());
    assertThat(errors).as("errors in the browser's console").isEmpty();
  }

  /** Where this browser saves downloads. */
  Path downloads() {
    return downloadsOf(kind);
  }

  private static Path downloadsOf(Kind kind) {
    try {
      return Files.createDirectories(
          Path.of("target", "console-downloads", kind.name().toLowerCase(java.util.Locale.ROOT))
              .toAbsolutePath());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  Path screenshots() {
    return SCREENSHOTS.resolve(kind.name().toLowerCase(java.util.Locale.ROOT));
  }

  @Override
  public void close() {
    if (firefoxLog != null) {
      firefoxLog.close();
    }
    driver.quit();
  }
}
