package io.kaapana.workflow.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/** The client-credentials grant of {@link AccessTokens#clientCredentials}. */
final class ClientCredentials implements AccessTokens {
  /** A token is replaced this long before it expires, so none expires on the way. */
  private static final Duration EARLY = Duration.ofSeconds(30);

  /** An identity provider's answers are small; a bigger one is not a token answer. */
  private static final int MAX_ANSWER_BYTES = 1 << 20;

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient http;
  private final URI issuer;
  private final String clientId;
  private final Supplier<String> secret;
  private final Clock clock;

  private URI tokenEndpoint;
  private String token;
  private Instant renewAt = Instant.MIN;

  ClientCredentials(
      HttpClient http, URI issuer, String clientId, Supplier<String> secret, Clock clock) {
    this.http = http;
    String base = issuer.toString();
    this.issuer = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
    this.clientId = Objects.requireNonNull(clientId, "clientId");
    this.secret = Objects.requireNonNull(secret, "secret");
    this.clock = clock;
  }

  @Override
  public synchronized String current() {
    if (token == null || !clock.instant().isBefore(renewAt)) {
      fetch();
    }
    return token;
  }

  @Override
  public synchronized boolean refresh(String refused) {
    if (token != null && !token.equals(refused)) {
      return true; // another thread fetched a new one already
    }
    fetch();
    return !token.equals(refused);
  }

  private void fetch() {
    if (tokenEndpoint == null) {
      JsonNode discovery = get(URI.create(issuer + "/.well-known/openid-configuration"));
      String endpoint = discovery.path("token_endpoint").asText("");
      if (endpoint.isEmpty()) {
        throw new WorkflowApiClientException(
            "the issuer " + issuer + " names no token_endpoint in its discovery document");
      }
      tokenEndpoint = URI.create(endpoint);
    }
    Instant asked = clock.instant();
    String form =
        "grant_type=client_credentials&client_id="
            + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
            + "&client_secret="
            + URLEncoder.encode(secret(), StandardCharsets.UTF_8);
    JsonNode answer =
        send(
            HttpRequest.newBuilder(tokenEndpoint)
                .timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            "the token endpoint " + tokenEndpoint + " refused client " + clientId);
    String accessToken = answer.path("access_token").asText("");
    if (accessToken.isEmpty()) {
      throw new WorkflowApiClientException(
          "the token endpoint " + tokenEndpoint + " answered without an access_token");
    }
    long lifetime = Math.max(answer.path("expires_in").asLong(60), 1);
    token = accessToken;
    // Renew after two thirds of a short life, or EARLY before the end of a long one.
    Duration keep = Duration.ofSeconds(lifetime);
    Duration margin = keep.compareTo(EARLY.multipliedBy(3)) < 0 ? keep.dividedBy(3) : EARLY;
    renewAt = asked.plus(keep.minus(margin));
  }

  private String secret() {
    String value;
    try {
      value = secret.get();
    } catch (RuntimeException e) {
      // e.g. a mounted secret file that is missing right now; its message names the file
      throw new WorkflowApiClientException(
          "the secret of client " + clientId + " cannot be read: " + e.getMessage(), e);
    }
    if (value == null || value.isEmpty()) {
      throw new WorkflowApiClientException("the secret of client " + clientId + " is empty");
    }
    return value;
  }

  private JsonNode get(URI uri) {
    return send(
        HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json").build(),
        "the issuer's discovery document " + uri + " cannot be read");
  }

  /** Sends and reads a JSON answer; a refusal names the provider's error, never the secret. */
  private JsonNode send(HttpRequest request, String failure) {
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new WorkflowApiClientException(failure + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkflowApiClientException("interrupted", e);
    }
    byte[] body = response.body();
    JsonNode json = null;
    if (body.length <= MAX_ANSWER_BYTES) {
      try {
        json = HttpTransport.JSON.readTree(body);
      } catch (IOException e) {
        json = null;
      }
    }
    if (response.statusCode() != 200 || json == null || !json.isObject()) {
      String error =
          json == null
              ? ""
              : (json.path("error").asText("") + " " + json.path("error_description").asText(""))
                  .trim();
      throw new WorkflowApiClientException(
          failure
              + " (HTTP "
              + response.statusCode()
              + (error.isEmpty() ? "" : ": " + HttpTransport.printable(error))
              + ")");
    }
    return json;
  }

  @Override
  public String toString() {
    return "AccessTokens.clientCredentials[" + issuer + ", " + clientId + "]";
  }
}
