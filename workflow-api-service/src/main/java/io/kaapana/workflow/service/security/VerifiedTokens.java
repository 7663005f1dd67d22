package io.kaapana.workflow.service.security;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the callers of tokens quarkus-oidc has verified, until each token expires, so that a
 * client sending the same token again is not verified again (a signature check and the token's
 * parsing on every request halved the throughput of cheap reads; docs/performance.md). Only a token
 * that passed verification is remembered, keyed by the whole token; at most {@value #MAX} are kept.
 * A token stays accepted until its own expiry, as a verified JWT is anyway: there is no revocation
 * of JWTs either way.
 */
@ApplicationScoped
public class VerifiedTokens implements HttpAuthenticationMechanism {
  /** At most this many tokens are remembered (each with its caller, a few KiB). */
  static final int MAX = 1000;

  private record Entry(SecurityIdentity identity, long expiresAtMillis) {}

  private final Map<String, Entry> verified = new ConcurrentHashMap<>();
  private final boolean active;
  private final Clock clock;

  public VerifiedTokens(AuthSettings settings, Clock clock) {
    this.active = settings.mode() == AuthSettings.Mode.TOKENS;
    this.clock = clock;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      RoutingContext context, IdentityProviderManager identityProviderManager) {
    return Uni.createFrom().item(known(context.request().getHeader("Authorization")));
  }

  /** The caller of a remembered, unexpired token; null otherwise (quarkus-oidc verifies it). */
  SecurityIdentity known(String authorization) {
    if (!active
        || authorization == null
        || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = authorization.substring(7).trim();
    Entry entry = verified.get(token);
    if (entry == null) {
      return null;
    }
    if (clock.millis() >= entry.expiresAtMillis()) {
      verified.remove(token, entry);
      return null;
    }
    return entry.identity();
  }

  /** Called once quarkus-oidc has verified {@code token}, which expires at {@code expSeconds}. */
  void remember(String token, SecurityIdentity identity, long expSeconds) {
    if (!active || token == null || expSeconds <= 0) {
      return;
    }
    long now = clock.millis();
    if (verified.size() >= MAX) {
      verified.values().removeIf(e -> now >= e.expiresAtMillis());
      if (verified.size() >= MAX) {
        return; // full of live tokens: verify the newcomer each time rather than grow
      }
    }
    verified.put(token, new Entry(identity, expSeconds * 1000));
  }

  int size() {
    return verified.size();
  }

  @Override
  public Uni<ChallengeData> getChallenge(RoutingContext context) {
    return Uni.createFrom().nullItem();
  }

  @Override
  public int getPriority() {
    return 1500; // after LocalAccess (inactive with tokens), before quarkus-oidc's 1000
  }
}
