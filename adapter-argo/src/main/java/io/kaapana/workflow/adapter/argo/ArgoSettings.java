package io.kaapana.workflow.adapter.argo;

import io.kaapana.workflow.adapter.spi.AdapterConfig;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.support.EngineTls;
import io.kaapana.workflow.adapter.support.Secret;
import io.kaapana.workflow.adapter.support.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The adapter's configuration, read and checked once; the token file is read again whenever it
 * changes (Kubernetes rotates projected service-account tokens). Secrets never appear in {@link
 * #toString}.
 */
final class ArgoSettings {

  static final String URL = "argo.url";
  static final String NAMESPACE = "argo.namespace";
  static final String TOKEN = "argo.token";
  static final String TOKEN_FILE = "argo.token-file";
  static final String CONNECT_TIMEOUT = "argo.connect-timeout";
  static final String REQUEST_TIMEOUT = "argo.request-timeout";
  static final String SERVICE_ACCOUNT = "argo.service-account";
  static final String RELIST_AFTER = "argo.relist-after";

  static final Set<String> SENSITIVE = Set.of(TOKEN, EngineTls.passwordKey("argo"));

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  private final URI url;
  private final String namespace;
  private final Secret token;
  private final EngineTls tls;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final String serviceAccount;
  private final Duration relistAfter;

  private ArgoSettings(
      URI url,
      String namespace,
      Secret token,
      EngineTls tls,
      Duration connectTimeout,
      Duration requestTimeout,
      String serviceAccount,
      Duration relistAfter) {
    this.url = url;
    this.namespace = namespace;
    this.token = token;
    this.tls = tls;
    this.connectTimeout = connectTimeout;
    this.requestTimeout = requestTimeout;
    this.serviceAccount = serviceAccount;
    this.relistAfter = relistAfter;
  }

  /** Every problem of the configuration, one message each. */
  static List<String> problems(AdapterConfig config) {
    return Settings.problems(config, ArgoSettings::read);
  }

  static ArgoSettings from(AdapterConfig config) throws AdapterException {
    return Settings.read(config, ArgoSettings::read);
  }

  private static ArgoSettings read(Settings settings) {
    URI url = settings.httpUrl(URL, "argo-server, e.g. https://argo-server.argo:2746");
    String namespace = settings.get(NAMESPACE, "argo");
    if (!DNS_LABEL.matcher(namespace).matches()) {
      settings.problem(NAMESPACE + " must be a Kubernetes namespace name, got '" + namespace + "'");
    }
    Secret token = settings.secret(TOKEN, TOKEN_FILE).orElse(null);
    EngineTls tls = EngineTls.read(settings, "argo");
    Duration connect = settings.duration(CONNECT_TIMEOUT, Duration.ofSeconds(10));
    Duration request = settings.duration(REQUEST_TIMEOUT, Duration.ofSeconds(30));
    Duration relist = settings.duration(RELIST_AFTER, Duration.ofMinutes(5));
    String serviceAccount = settings.get(SERVICE_ACCOUNT).orElse(null);
    return new ArgoSettings(url, namespace, token, tls, connect, request, serviceAccount, relist);
  }

  URI url() {
    return url;
  }

  String namespace() {
    return namespace;
  }

  EngineTls tls() {
    return tls;
  }

  Duration connectTimeout() {
    return connectTimeout;
  }

  Duration requestTimeout() {
    return requestTimeout;
  }

  /** How long a copy from the workflow-events stream serves before the run is listed again. */
  Duration relistAfter() {
    return relistAfter;
  }

  /** The service account workflows run as, or null for the namespace's default. */
  String serviceAccount() {
    return serviceAccount;
  }

  /** The bearer token: the file's current content (read again after it changed), or inline. */
  String token() throws AdapterException {
    return token == null ? null : token.value();
  }

  /** The token as a secret (inline or a file read again after a 401), or null for none. */
  Secret tokenSecret() {
    return token;
  }

  @Override
  public String toString() {
    return "ArgoSettings[url="
        + url
        + ", namespace="
        + namespace
        + ", token="
        + token
        + ", tls="
        + tls
        + "]";
  }
}
