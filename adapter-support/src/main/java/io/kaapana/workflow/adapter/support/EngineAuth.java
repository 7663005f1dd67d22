package io.kaapana.workflow.adapter.support;

import io.kaapana.workflow.adapter.spi.AdapterException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * How an engine client proves who it is: the {@code Authorization} header of each request, and what
 * to do once after the engine answered 401 (a rotated token file, an expired token).
 */
public interface EngineAuth {

  /** The value of the {@code Authorization} header, or null to send none. */
  String authorization() throws AdapterException;

  /**
   * Called after a 401: forgets what may be stale and says whether one more attempt could succeed.
   * The client retries a request at most once.
   */
  default boolean refresh() {
    return false;
  }

  /** A token fetched from the engine (its token endpoint), for {@link #tokenEndpoint}. */
  @FunctionalInterface
  interface TokenSource {
    String fetch() throws AdapterException;
  }

  /** No credentials (an engine behind an authenticating proxy, or a test server). */
  static EngineAuth none() {
    return () -> null;
  }

  /** HTTP basic authentication; a password kept in a file is read again after a 401. */
  static EngineAuth basic(String username, Secret password) {
    return new EngineAuth() {
      @Override
      public String authorization() throws AdapterException {
        String pair = username + ":" + password.value();
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
      }

      @Override
      public boolean refresh() {
        return password.forget();
      }
    };
  }

  /** A bearer token, inline or in a file that is read again when it changed or after a 401. */
  static EngineAuth bearer(Secret token) {
    return new EngineAuth() {
      @Override
      public String authorization() throws AdapterException {
        String value = token.value();
        return value == null || value.isEmpty() ? null : "Bearer " + value;
      }

      @Override
      public boolean refresh() {
        return token.forget();
      }
    };
  }

  /**
   * A bearer token the engine issues (Airflow 3's {@code /auth/token}): fetched on first use, kept,
   * and fetched again after a 401.
   */
  static EngineAuth tokenEndpoint(TokenSource source) {
    return new EngineAuth() {
      private String token;

      @Override
      public synchronized String authorization() throws AdapterException {
        if (token == null) {
          token = source.fetch();
        }
        return "Bearer " + token;
      }

      @Override
      public synchronized boolean refresh() {
        token = null;
        return true;
      }
    };
  }
}
