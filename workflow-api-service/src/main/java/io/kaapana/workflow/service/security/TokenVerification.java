package io.kaapana.workflow.service.security;

import io.quarkus.oidc.Oidc;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.runtime.OidcTenantConfig.ApplicationType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sets quarkus-oidc up to verify bearer tokens of {@code KAAPANA_AUTH_ISSUER} (keys from the
 * issuer's discovery document and JWKS; issuer, audience and expiry checked), and leaves it off
 * without an issuer: quarkus-oidc has no switch that follows whether a URL is set, so its tenant is
 * off in application.properties and created here.
 */
@ApplicationScoped
public class TokenVerification {
  private final AuthSettings settings;
  private final String audience;

  public TokenVerification(
      AuthSettings settings,
      @ConfigProperty(name = "kaapana.auth.audience", defaultValue = "workflow-api")
          String audience) {
    this.settings = settings;
    this.audience = audience;
  }

  void configure(@Observes Oidc oidc) {
    settings
        .issuer()
        .ifPresent(
            issuer ->
                oidc.create(
                    OidcTenantConfig.authServerUrl(issuer)
                        .tenantEnabled(true)
                        .applicationType(ApplicationType.SERVICE)
                        .clientId(settings.clientId())
                        .token()
                        .audience(audience)
                        .end()
                        .build()));
  }
}
