package io.kaapana.workflow.service.config;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * Live and ready only while a request could be served: a trivial task must run on the worker pool
 * that serves the API's requests within {@value #WAIT_SECONDS} s. A service whose workers are all
 * stuck answers its probes DOWN, so Kubernetes stops sending it traffic and restarts it.
 */
@Liveness
@Readiness
@ApplicationScoped
public class RequestWorkersHealth implements AsyncHealthCheck {
  static final int WAIT_SECONDS = 3;

  private final Vertx vertx;

  public RequestWorkersHealth(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Uni<HealthCheckResponse> call() {
    long started = System.nanoTime();
    return Uni.createFrom()
        .completionStage(() -> vertx.executeBlocking(() -> Boolean.TRUE, false).toCompletionStage())
        .ifNoItem()
        .after(Duration.ofSeconds(WAIT_SECONDS))
        .recoverWithItem(Boolean.FALSE)
        .map(
            ran ->
                HealthCheckResponse.named("request-workers")
                    .status(ran)
                    .withData("waited_ms", (System.nanoTime() - started) / 1_000_000)
                    .build());
  }
}
