package io.kaapana.workflow.adapter.support;

import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The HTTP plumbing every engine adapter needs: the client, request URIs, whom TLS trusts. */
public final class EngineHttp {
  private EngineHttp() {}

  /**
   * A client for an engine's API: HTTP/1.1 (servers and proxies that do not speak h2c drop a
   * request that asks for the upgrade, as the JDK's client does by default), no redirects followed,
   * the given connect timeout, and {@code tls} when it is not null.
   */
  public static HttpClient client(Duration connectTimeout, SSLContext tls) {
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER);
    if (tls != null) {
      builder.sslContext(tls);
    }
    return builder.build();
  }

  /** {@code base} + {@code path} + the query, its names and values URL-encoded. */
  public static URI uri(URI base, String path, Map<String, String> query) {
    StringBuilder uri = new StringBuilder(base.toString()).append(path);
    String separator = "?";
    for (Map.Entry<String, String> parameter : query.entrySet()) {
      uri.append(separator)
          .append(URLEncoder.encode(parameter.getKey(), StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(parameter.getValue(), StandardCharsets.UTF_8));
      separator = "&";
    }
    return URI.create(uri.toString());
  }

  /** TLS that trusts the CA certificates of a PEM file (a cluster CA, or the server's own). */
  public static SSLContext trustingPem(Path pem) throws AdapterException {
    try (InputStream in = Files.newInputStream(pem)) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int index = 0;
      for (Certificate certificate :
          CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca-" + index++, certificate);
      }
      if (index == 0) {
        throw new GeneralSecurityException("no certificate in the file");
      }
      return trusting(store);
    } catch (IOException | GeneralSecurityException e) {
      throw new AdapterException(
          ErrorCode.INVALID_CONFIG, "the CA file " + pem + " cannot be used: " + e.getMessage(), e);
    }
  }

  /** TLS that trusts the certificates of a trust store (PKCS12 or JKS). */
  public static SSLContext trustingStore(Path file, String type, String password)
      throws AdapterException {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance(type);
      store.load(in, password == null ? null : password.toCharArray());
      return trusting(store);
    } catch (IOException | GeneralSecurityException e) {
      throw new AdapterException(
          ErrorCode.INVALID_CONFIG,
          "the trust store " + file + " cannot be read: " + e.getMessage(),
          e);
    }
  }

  private static SSLContext trusting(KeyStore store) throws GeneralSecurityException {
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }
}
