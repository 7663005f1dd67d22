package io.kaapana.workflow.service.security;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Refuses to start a service that would answer anyone on the network without checking who: no
 * issuer is allowed only on loopback, unless {@code KAAPANA_AUTH=disabled} says so (with a warning
 * at start and in {@code /q/health}). Says at start how callers are authenticated.
 */
@Readiness
@ApplicationScoped
public class ExposureCheck implements HealthCheck {
  private static final Logger LOG = Logger.getLogger(ExposureCheck.class);
  private static final Pattern LOOPBACK =
      Pattern.compile("localhost|127(\\.\\d{1,3}){3}|::1|\\[::1\\]|0:0:0:0:0:0:0:1");

  static final String DISABLED_WARNING =
      "authentication is disabled (KAAPANA_AUTH=disabled): anyone who reaches this port may do"
          + " everything, including purging the database";

  private final AuthSettings settings;
  private final String host;
  private final int port;

  public ExposureCheck(
      AuthSettings settings,
      @ConfigProperty(name = "quarkus.http.host") String host,
      @ConfigProperty(name = "quarkus.http.port") int port) {
    this.settings = settings;
    this.host = host;
    this.port = port;
  }

  void check(@Observes @Priority(1) StartupEvent start) {
    settings
        .unknownOverride()
        .ifPresent(
            value -> {
              throw new IllegalStateException(
                  "KAAPANA_AUTH='"
                      + value
                      + "' is not understood: the only value is 'disabled'; set"
                      + " KAAPANA_AUTH_ISSUER instead to check tokens");
            });
    switch (settings.mode()) {
      case TOKENS ->
          LOG.infof(
              "API requests need bearer tokens of %s (audience %s); /q/health is open",
              settings.issuer().orElseThrow(), settings.clientId());
      case LOCAL -> {
        if (!isLoopback(host)) {
          throw new IllegalStateException(
              "The API would listen on "
                  + host
                  + " without an identity provider, open to anyone who reaches it. Set"
                  + " KAAPANA_AUTH_ISSUER to the OIDC issuer (for Keycloak"
                  + " https://<host>/realms/<realm>) to require tokens, or QUARKUS_HTTP_HOST=127.0.0.1"
                  + " to listen on loopback only, or KAAPANA_AUTH=disabled to run open anyway.");
        }
        LOG.infof(
            "No identity provider (KAAPANA_AUTH_ISSUER is not set): listening on %s:%d (loopback"
                + " only), every request acts as the local operator with every role",
            host, port);
      }
      case DISABLED -> LOG.warnf("%s; listening on %s:%d", DISABLED_WARNING, host, port);
    }
  }

  static boolean isLoopback(String host) {
    return host != null && LOOPBACK.matcher(host.trim()).matches();
  }

  @Override
  public HealthCheckResponse call() {
    var response =
        HealthCheckResponse.named("authentication")
            .up()
            .withData("mode", settings.mode().name().toLowerCase(java.util.Locale.ROOT));
    if (settings.mode() == AuthSettings.Mode.DISABLED) {
      response.withData("warning", DISABLED_WARNING);
    }
    return response.build();
  }
}
