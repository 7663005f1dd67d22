package io.kaapana.workflow.adapter.runtime;

import io.kaapana.workflow.adapter.spi.AdapterException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar adapter-runtime.jar [config.properties]}: the sidecar process. Settings come
 * from the file (or {@code KAAPANA_ADAPTER_CONFIG_FILE}), environment variables and {@code -D}
 * properties; see {@link RuntimeConfig}. SIGTERM shuts it down cleanly.
 */
public final class AdapterRuntimeMain {
  private AdapterRuntimeMain() {}

  public static void main(String[] args) throws InterruptedException {
    // One line per record, in UTC, unless the operator configured java.util.logging otherwise.
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null
        && System.getProperty("java.util.logging.config.file") == null) {
      System.setProperty(
          "java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s [%3$s] %5$s%6$s%n");
      java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("UTC"));
    }
    String file = args.length > 0 ? args[0] : System.getenv("KAAPANA_ADAPTER_CONFIG_FILE");
    AdapterRuntime runtime;
    try {
      RuntimeConfig config =
          RuntimeConfig.load(
              file == null ? null : Path.of(file), System.getenv(), System.getProperties());
      runtime = AdapterRuntime.start(config);
    } catch (AdapterException e) {
      System.err.println("adapter runtime cannot start: " + e.getMessage());
      System.exit(2);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  runtime.close();
                  stopped.countDown();
                },
                "adapter-shutdown"));
    stopped.await();
  }
}
