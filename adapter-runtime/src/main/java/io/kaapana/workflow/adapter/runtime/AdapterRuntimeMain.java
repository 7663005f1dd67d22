package io.kaapana.workflow.adapter.runtime;

import io.kaapana.workflow.adapter.spi.AdapterException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Handler;
import java.util.logging.Logger;

/**
 * {@code java -jar adapter-runtime.jar [config.properties]}: the sidecar process. Settings come
 * from the file (or {@code KAAPANA_ADAPTER_CONFIG_FILE}), environment variables and {@code -D}
 * properties; see {@link RuntimeConfig}. SIGTERM shuts it down cleanly.
 */
public final class AdapterRuntimeMain {
  private AdapterRuntimeMain() {}

  public static void main(String[] args) throws InterruptedException {
    // One line per record, in UTC (as JSON with KAAPANA_LOG_JSON=true, like the service), unless
    // the operator configured java.util.logging otherwise.
    if (System.getProperty("java.util.logging.config.file") == null
        && System.getProperty("java.util.logging.config.class") == null
        && System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      boolean json = "true".equalsIgnoreCase(System.getenv("KAAPANA_LOG_JSON"));
      for (Handler handler : Logger.getLogger("").getHandlers()) {
        handler.setFormatter(json ? new JsonLogFormatter() : new OneLineFormatter());
      }
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
