package io.kaapana.workflow.service.security;

import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.OidcClients;
import io.quarkus.oidc.client.Tokens;
import io.quarkus.oidc.client.runtime.OidcClientConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The service's own access token (client credentials of {@code KAAPANA_AUTH_CLIENT_ID}), which it
 * presents when it calls an adapter's log endpoint, so that an adapter answers only the service.
 * Fetched without holding a thread, kept until {@value #EARLY_SECONDS} s before it expires, dropped
 * when an adapter refuses it. Without an issuer or a secret the service sends no token.
 */
@ApplicationScoped
public class ServiceTokens {
  private static final Logger LOG = Logger.getLogger(ServiceTokens.class);
  static final long EARLY_SECONDS = 30;

  private final OidcClients clients;
  private final Optional<OidcClientConfig> config;
  private final AtomicReference<CompletableFuture<OidcClient>> client = new AtomicReference<>();
  private final AtomicReference<Tokens> tokens = new AtomicReference<>();

  public ServiceTokens(
      AuthSettings settings,
      OidcClients clients,
      @ConfigProperty(name = "kaapana.auth.client-secret") Optional<String> secret,
      @ConfigProperty(name = "kaapana.auth.client-secret-file") Optional<Path> secretFile) {
    this.clients = clients;
    Optional<String> theSecret = secret(secret, secretFile);
    if (settings.issuer().isPresent() && theSecret.isEmpty()) {
      LOG.warnf(
          "KAAPANA_AUTH_CLIENT_SECRET(_FILE) is not set: the service calls adapters' log endpoints"
              + " without a token, and adapters that check one refuse it");
    }
    this.config =
        settings
            .issuer()
            .flatMap(
                issuer ->
                    theSecret.map(
                        s ->
                            OidcClientConfig.authServerUrl(issuer)
                                .id("kaapana-service")
                                .clientId(settings.clientId())
                                .credentials(s)
                                .build()));
  }

  private static Optional<String> secret(Optional<String> secret, Optional<Path> file) {
    if (secret.isPresent() && file.isPresent()) {
      throw new IllegalStateException(
          "set KAAPANA_AUTH_CLIENT_SECRET or KAAPANA_AUTH_CLIENT_SECRET_FILE, not both");
    }
    if (file.isPresent()) {
      try {
        return Optional.of(Files.readString(file.get()).strip()).filter(s -> !s.isEmpty());
      } catch (IOException e) {
        throw new IllegalStateException(
            "KAAPANA_AUTH_CLIENT_SECRET_FILE " + file.get() + " cannot be read: " + e.getMessage());
      }
    }
    return secret.map(String::strip).filter(s -> !s.isEmpty());
  }

  /** The {@code Authorization} value to send, if the service has tokens; never blocks a thread. */
  public CompletableFuture<Optional<String>> authorization() {
    if (config.isEmpty()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    Tokens held = tokens.get();
    if (held != null && fresh(held)) {
      return CompletableFuture.completedFuture(Optional.of("Bearer " + held.getAccessToken()));
    }
    return client()
        .thenCompose(c -> c.getTokens().subscribeAsCompletionStage())
        .thenApply(
            fetched -> {
              tokens.set(fetched);
              return Optional.of("Bearer " + fetched.getAccessToken());
            });
  }

  /** An adapter refused the token: the next call fetches another. */
  public void refused() {
    tokens.set(null);
  }

  private static boolean fresh(Tokens held) {
    Long expiresAt = held.getAccessTokenExpiresAt();
    return expiresAt == null || Instant.now().getEpochSecond() < expiresAt - EARLY_SECONDS;
  }

  /** The token client, made once the issuer answered (made again after a failure). */
  private CompletableFuture<OidcClient> client() {
    CompletableFuture<OidcClient> existing = client.get();
    if (existing != null && !existing.isCompletedExceptionally()) {
      return existing;
    }
    CompletableFuture<OidcClient> made = new CompletableFuture<>();
    if (!client.compareAndSet(existing, made)) {
      return client(); // another request is making it
    }
    clients
        .newClient(config.orElseThrow())
        .subscribe()
        .with(made::complete, made::completeExceptionally);
    return made;
  }
}
