package io.kaapana.workflow.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Where a client's bearer tokens come from. The client sends {@link #current()} as {@code
 * Authorization: Bearer …} with every request; when the service answers 401 it calls {@link
 * #refresh(String)} once and sends the request again with the new token.
 *
 * <p>Implementations are thread-safe and never put a token or a secret into an exception message or
 * {@link Object#toString()}.
 */
public interface AccessTokens {

  /** The token to send now. */
  String current();

  /**
   * The service refused {@code refused}: get another one if that can help.
   *
   * @return whether the next {@link #current()} differs and the request is worth sending again
   */
  boolean refresh(String refused);

  /** One token for the client's life (a user's, handed in from outside); nothing to refresh. */
  static AccessTokens fixed(String token) {
    Objects.requireNonNull(token, "token");
    return new AccessTokens() {
      @Override
      public String current() {
        return token;
      }

      @Override
      public boolean refresh(String refused) {
        return false;
      }

      @Override
      public String toString() {
        return "AccessTokens.fixed";
      }
    };
  }

  /**
   * Tokens of a confidential client (OAuth 2.0 client-credentials grant), as adapters use them:
   * fetched from the issuer's token endpoint (found through its OpenID discovery document), kept
   * until shortly before they expire, fetched anew after a 401.
   *
   * @param issuer the OIDC issuer, e.g. {@code https://keycloak/realms/kaapana}
   * @param secret asked at every fetch, so a secret read from a mounted file may rotate
   */
  static AccessTokens clientCredentials(URI issuer, String clientId, Supplier<String> secret) {
    return new ClientCredentials(
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(),
        issuer,
        clientId,
        secret,
        Clock.systemUTC());
  }
}
