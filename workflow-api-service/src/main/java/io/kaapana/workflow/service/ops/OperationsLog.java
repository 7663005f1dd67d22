package io.kaapana.workflow.service.ops;

import io.kaapana.workflow.core.domain.Adapter;
import io.kaapana.workflow.core.domain.ReleaseReason;
import io.kaapana.workflow.core.port.out.AdapterNotices;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The events an operator acts on (an adapter lost or back, runs released, a purge), each one log
 * line in the category {@code kaapana.operations}: {@code <event> key=value …}, with the ids of the
 * adapter and runs concerned. A line written inside a transaction appears only once it has
 * committed, so the log never reports what was rolled back.
 */
@ApplicationScoped
public class OperationsLog implements AdapterNotices {
  private static final Logger LOG = Logger.getLogger("kaapana.operations");

  /** A line names at most this many runs: it stays readable when an adapter held thousands. */
  private static final int MAX_IDS_LOGGED = 20;

  private final TransactionSynchronizationRegistry transactions;
  private final MeterRegistry metrics;

  public OperationsLog(TransactionSynchronizationRegistry transactions, MeterRegistry metrics) {
    this.transactions = transactions;
    this.metrics = metrics;
  }

  @Override
  public void registered(Adapter adapter, boolean wasLost) {
    info(
        wasLost ? "adapter.back" : "adapter.registered",
        fields(
            "adapter_id",
            adapter.id(),
            "workflow_engine",
            adapter.workflowEngine(),
            "label_selector",
            adapter.labelSelector(),
            "lease_seconds",
            adapter.leaseSeconds()));
  }

  @Override
  public void lost(Adapter adapter, int runsReleased) {
    warn(
        "adapter.lost",
        fields(
            "adapter_id",
            adapter.id(),
            "last_seen_at",
            adapter.lastSeenAt(),
            "lease_seconds",
            adapter.leaseSeconds(),
            "runs_released",
            runsReleased));
  }

  @Override
  public void deregistered(String adapterId, int runsReleased) {
    info("adapter.deregistered", fields("adapter_id", adapterId, "runs_released", runsReleased));
  }

  @Override
  public void runsReleased(String adapterId, ReleaseReason reason, List<UUID> runIds) {
    metrics
        .counter("kaapana_runs_released_total", "reason", reason.slug())
        .increment(runIds.size());
    int shown = Math.min(runIds.size(), MAX_IDS_LOGGED);
    String listed =
        runIds.subList(0, shown).stream().map(UUID::toString).collect(Collectors.joining(","));
    if (runIds.size() > shown) {
      listed += ",…(+" + (runIds.size() - shown) + ")";
    }
    info(
        "runs.released",
        fields(
            "adapter_id",
            adapterId,
            "reason",
            reason.slug(),
            "count",
            runIds.size(),
            "run_ids",
            listed));
  }

  /** Fields of one line, in the order given. */
  public static Map<String, Object> fields(Object... keysAndValues) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
      fields.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return fields;
  }

  public void info(String event, Map<String, Object> fields) {
    afterCommit(Logger.Level.INFO, event, fields);
  }

  public void warn(String event, Map<String, Object> fields) {
    afterCommit(Logger.Level.WARN, event, fields);
  }

  /** Logs at once, for what happens outside a transaction (a refused request, say). */
  public static void now(Logger.Level level, String event, Map<String, Object> fields) {
    log(level, event, fields, line(event, fields));
  }

  /**
   * The line as text, and its event and fields as MDC entries while it is written: JSON logs
   * ({@code KAAPANA_LOG_JSON=true}) carry them as fields ({@code mdc.adapter_id}, …).
   */
  private static void log(
      Logger.Level level, String event, Map<String, Object> fields, String line) {
    MDC.put("event", event);
    fields.forEach((key, value) -> MDC.put(key, String.valueOf(value)));
    try {
      LOG.log(level, line);
    } finally {
      MDC.remove("event");
      fields.keySet().forEach(MDC::remove);
    }
  }

  private void afterCommit(Logger.Level level, String event, Map<String, Object> fields) {
    String line = line(event, fields);
    if (transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
      log(level, event, fields, line);
      return;
    }
    transactions.registerInterposedSynchronization(
        new Synchronization() {
          @Override
          public void beforeCompletion() {}

          @Override
          public void afterCompletion(int status) {
            if (status == Status.STATUS_COMMITTED) {
              log(level, event, fields, line);
            }
          }
        });
  }

  /**
   * {@code event key=value …}; a value with a space, a quote, an equals sign or a control character
   * is quoted and escaped, so a line splits back into its fields.
   */
  static String line(String event, Map<String, Object> fields) {
    StringBuilder out = new StringBuilder(event);
    fields.forEach(
        (key, value) -> {
          out.append(' ').append(key).append('=');
          String text = String.valueOf(value);
          if (text.isEmpty() || text.chars().anyMatch(OperationsLog::needsQuotes)) {
            out.append('"');
            for (char c : text.toCharArray()) {
              if (c == '"' || c == '\\') {
                out.append('\\').append(c);
              } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
              } else {
                out.append(c);
              }
            }
            out.append('"');
          } else {
            out.append(text);
          }
        });
    return out.toString();
  }

  private static boolean needsQuotes(int c) {
    return c <= ' ' || c == '"' || c == '=' || c == '\\' || c == 0x7f;
  }
}
