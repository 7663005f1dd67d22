package io.kaapana.workflow.service.security;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Without an identity provider (the quick start on loopback, or {@code KAAPANA_AUTH=disabled}),
 * every request is the local operator, who holds every role. With an issuer this mechanism stands
 * aside and every request needs a token. No header of the request is read.
 */
@ApplicationScoped
public class LocalAccess implements HttpAuthenticationMechanism {
  private static final SecurityIdentity LOCAL_OPERATOR = localOperator();

  private final boolean active;

  public LocalAccess(
      AuthSettings settings, @ConfigProperty(name = "quarkus.http.host") String host) {
    // the same rule as ExposureCheck, which stops the start; here it also holds for a request
    // that arrives before the check has run
    this.active =
        settings.mode() == AuthSettings.Mode.DISABLED
            || (settings.mode() == AuthSettings.Mode.LOCAL && ExposureCheck.isLoopback(host));
  }

  private static SecurityIdentity localOperator() {
    Caller local = Caller.local();
    return QuarkusSecurityIdentity.builder()
        .setPrincipal(new QuarkusPrincipal(Caller.LOCAL))
        .addRoles(local.roles())
        .addAttribute(Caller.class.getName(), local)
        .build();
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      RoutingContext context, IdentityProviderManager identityProviderManager) {
    return active ? Uni.createFrom().item(LOCAL_OPERATOR) : Uni.createFrom().nullItem();
  }

  @Override
  public Uni<ChallengeData> getChallenge(RoutingContext context) {
    return Uni.createFrom().nullItem();
  }

  @Override
  public int getPriority() {
    return 2000;
  }
}
