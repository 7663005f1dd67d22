package io.kaapana.workflow.adapter.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Answers the log endpoint only for the Workflow API service: a bearer token of the adapter's
 * issuer (signature by the issuer's published keys, issuer, audience, expiry) that holds the
 * service's role. The keys are found through the issuer's discovery document on first use, so an
 * identity provider that starts after the adapter is no problem.
 */
final class ServiceTokenCheck {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final URI issuer;
  private final String audience;
  private final String role;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private volatile DefaultJWTProcessor<SecurityContext> processor;

  ServiceTokenCheck(URI issuer, String audience, String role) {
    this.issuer = issuer;
    this.audience = audience;
    this.role = role;
  }

  /** Why the request may not read logs; empty when its token is the service's. */
  Optional<String> refusal(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.of("a bearer token of the Workflow API service is required");
    }
    JWTClaimsSet claims;
    try {
      claims = processor().process(authorization.substring(7).trim(), null);
    } catch (IOException e) {
      return Optional.of("the issuer's keys cannot be read now; retry later");
    } catch (Exception e) {
      return Optional.of("the token is not valid here");
    }
    return roles(claims).contains(role)
        ? Optional.empty()
        : Optional.of("the token lacks the role '" + role + "'");
  }

  private static Collection<?> roles(JWTClaimsSet claims) {
    Object realm = claims.getClaim("realm_access");
    if (realm instanceof Map<?, ?> access && access.get("roles") instanceof List<?> roles) {
      return roles;
    }
    return Set.of();
  }

  private DefaultJWTProcessor<SecurityContext> processor() throws IOException {
    DefaultJWTProcessor<SecurityContext> made = processor;
    if (made != null) {
      return made;
    }
    synchronized (this) {
      if (processor == null) {
        JWKSource<SecurityContext> keys =
            JWKSourceBuilder.create(new URL(jwksUri())).retrying(true).build();
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
        p.setJWTClaimsSetVerifier(
            new DefaultJWTClaimsVerifier<>(
                audience,
                new JWTClaimsSet.Builder().issuer(issuer.toString()).build(),
                Set.of("exp", "iat")));
        processor = p;
      }
      return processor;
    }
  }

  private String jwksUri() throws IOException {
    URI discovery = URI.create(stripSlash(issuer.toString()) + "/.well-known/openid-configuration");
    try {
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(discovery).timeout(TIMEOUT).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode jwks =
          answer.statusCode() == 200 ? JSON.readTree(answer.body()).get("jwks_uri") : null;
      if (jwks == null || !jwks.isTextual()) {
        throw new IOException(
            "no jwks_uri in " + discovery + " (HTTP " + answer.statusCode() + ")");
      }
      return jwks.asText();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  @Override
  public String toString() {
    return "service tokens of " + issuer + " with role " + role;
  }
}
