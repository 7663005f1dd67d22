package io.kaapana.workflow.service.security;

import io.kaapana.workflow.service.ops.OperationsLog;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The identity provider could not be reached to check a token (its keys or discovery document):
 * requests are answered 503, and the operations log says so at most every {@value #EVERY_SECONDS}
 * s, with how many requests were refused since.
 */
@ApplicationScoped
public class IdentityProviderOutage {
  static final int EVERY_SECONDS = 30;

  private final AuthSettings settings;
  private final Clock clock;
  private final AtomicLong lastLogged = new AtomicLong(); // epoch: the first outage is logged
  private final AtomicLong refused = new AtomicLong();

  public IdentityProviderOutage(AuthSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  public void refusedBecause(Throwable cause) {
    long count = refused.incrementAndGet();
    long now = clock.millis();
    long last = lastLogged.get();
    if (now - last >= EVERY_SECONDS * 1000L && lastLogged.compareAndSet(last, now)) {
      refused.addAndGet(-count);
      OperationsLog.now(
          Logger.Level.WARN,
          "identity_provider.unreachable",
          OperationsLog.fields(
              "issuer",
              settings.issuer().orElse(""),
              "requests_refused",
              count,
              "reason",
              cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()));
    }
  }
}
