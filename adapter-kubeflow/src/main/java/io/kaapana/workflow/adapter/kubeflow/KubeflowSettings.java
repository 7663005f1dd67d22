package io.kaapana.workflow.adapter.kubeflow;

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
 * The adapter's configuration, read and checked once. Secrets never appear in {@link #toString}.
 */
final class KubeflowSettings {

  static final String URL = "kubeflow.url";
  static final String NAMESPACE = "kubeflow.namespace";
  static final String TOKEN = "kubeflow.token";
  static final String TOKEN_FILE = "kubeflow.token-file";
  static final String USER_HEADER = "kubeflow.user-header";
  static final String USER = "kubeflow.user";
  static final String EXPERIMENT_LABEL = "kubeflow.experiment-label";
  static final String DEFAULT_EXPERIMENT = "kubeflow.default-experiment";
  static final String SERVICE_ACCOUNT = "kubeflow.service-account";
  static final String CONNECT_TIMEOUT = "kubeflow.connect-timeout";
  static final String REQUEST_TIMEOUT = "kubeflow.request-timeout";

  /** argo-server of the installation, for task logs (KFP's API has none): optional. */
  static final String ARGO_URL = "kubeflow.argo-url";

  static final String ARGO_NAMESPACE = "kubeflow.argo-namespace";
  static final String ARGO_TOKEN = "kubeflow.argo-token";
  static final String ARGO_TOKEN_FILE = "kubeflow.argo-token-file";

  static final Set<String> SENSITIVE =
      Set.of(
          TOKEN,
          ARGO_TOKEN,
          EngineTls.passwordKey("kubeflow"),
          EngineTls.passwordKey("kubeflow", "argo-"));

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9-]{1,100}");
  private static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9._/-]{1,253}");

  private final URI url;
  private final String namespace;
  private final Secret token;
  private final String userHeader;
  private final String user;
  private final EngineTls tls;
  private final String experimentLabel;
  private final String defaultExperiment;
  private final String serviceAccount;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final URI argoUrl;
  private final String argoNamespace;
  private final Secret argoToken;
  private final EngineTls argoTls;

  private KubeflowSettings(
      URI url,
      String namespace,
      Secret token,
      String userHeader,
      String user,
      EngineTls tls,
      String experimentLabel,
      String defaultExperiment,
      String serviceAccount,
      Duration connectTimeout,
      Duration requestTimeout,
      URI argoUrl,
      String argoNamespace,
      Secret argoToken,
      EngineTls argoTls) {
    this.url = url;
    this.namespace = namespace;
    this.token = token;
    this.userHeader = userHeader;
    this.user = user;
    this.tls = tls;
    this.experimentLabel = experimentLabel;
    this.defaultExperiment = defaultExperiment;
    this.serviceAccount = serviceAccount;
    this.connectTimeout = connectTimeout;
    this.requestTimeout = requestTimeout;
    this.argoUrl = argoUrl;
    this.argoNamespace = argoNamespace;
    this.argoToken = argoToken;
    this.argoTls = argoTls;
  }

  /** Every problem of the configuration, one message each. */
  static List<String> problems(AdapterConfig config) {
    return Settings.problems(config, KubeflowSettings::read);
  }

  static KubeflowSettings from(AdapterConfig config) throws AdapterException {
    return Settings.read(config, KubeflowSettings::read);
  }

  private static KubeflowSettings read(Settings settings) {
    URI url = settings.httpUrl(URL, "the KFP API server, e.g. http://ml-pipeline.kubeflow:8888");
    String namespace = settings.get(NAMESPACE).orElse(null);
    if (namespace != null && !DNS_LABEL.matcher(namespace).matches()) {
      settings.problem(NAMESPACE + " must be a Kubernetes namespace name, got '" + namespace + "'");
    }
    Secret token = settings.secret(TOKEN, TOKEN_FILE).orElse(null);
    String userHeader = settings.get(USER_HEADER, "kubeflow-userid");
    if (!HEADER_NAME.matcher(userHeader).matches()) {
      settings.problem(USER_HEADER + " must be an HTTP header name, got '" + userHeader + "'");
    }
    String user = settings.get(USER).orElse(null);
    if (user != null && (user.isBlank() || user.chars().anyMatch(c -> c < 0x20 || c == 0x7f))) {
      settings.problem(USER + " must be a user name without control characters");
    }
    EngineTls tls = EngineTls.read(settings, "kubeflow");
    String experimentLabel = settings.get(EXPERIMENT_LABEL, "kaapana.experiment");
    if (!LABEL_KEY.matcher(experimentLabel).matches()) {
      settings.problem(EXPERIMENT_LABEL + " must be a label key, got '" + experimentLabel + "'");
    }
    String defaultExperiment = settings.get(DEFAULT_EXPERIMENT, "kaapana");
    if (defaultExperiment.isBlank() || defaultExperiment.length() > 128) {
      settings.problem(DEFAULT_EXPERIMENT + " must be 1 to 128 characters");
    }
    String serviceAccount = settings.get(SERVICE_ACCOUNT).orElse(null);
    Duration connect = settings.duration(CONNECT_TIMEOUT, Duration.ofSeconds(10));
    Duration request = settings.duration(REQUEST_TIMEOUT, Duration.ofSeconds(30));
    URI argoUrl =
        settings.get(ARGO_URL).isPresent()
            ? settings.httpUrl(ARGO_URL, "argo-server, e.g. https://argo-server.kubeflow:2746")
            : null;
    String argoNamespace = settings.get(ARGO_NAMESPACE, namespace == null ? "kubeflow" : namespace);
    if (!DNS_LABEL.matcher(argoNamespace).matches()) {
      settings.problem(
          ARGO_NAMESPACE + " must be a Kubernetes namespace name, got '" + argoNamespace + "'");
    }
    Secret argoToken = settings.secret(ARGO_TOKEN, ARGO_TOKEN_FILE).orElse(null);
    EngineTls argoTls = EngineTls.read(settings, "kubeflow", "argo-");
    return new KubeflowSettings(
        url,
        namespace,
        token,
        userHeader,
        user,
        tls,
        experimentLabel,
        defaultExperiment,
        serviceAccount,
        connect,
        request,
        argoUrl,
        argoNamespace,
        argoToken,
        argoTls);
  }

  URI url() {
    return url;
  }

  /** The Kubeflow profile namespace (multi-user mode), or null for a single-user installation. */
  String namespace() {
    return namespace;
  }

  Secret tokenSecret() {
    return token;
  }

  String userHeader() {
    return userHeader;
  }

  /** The user the identity header names (multi-user mode behind a trusted gateway), or null. */
  String user() {
    return user;
  }

  EngineTls tls() {
    return tls;
  }

  /** The run label whose value names the run's experiment. */
  String experimentLabel() {
    return experimentLabel;
  }

  /** The experiment of runs without that label. */
  String defaultExperiment() {
    return defaultExperiment;
  }

  /** The service account the runs' pods use, or null for the installation's default. */
  String serviceAccount() {
    return serviceAccount;
  }

  Duration connectTimeout() {
    return connectTimeout;
  }

  Duration requestTimeout() {
    return requestTimeout;
  }

  /** argo-server's URL (task logs come from the runs' Argo pods through it), or null. */
  URI argoUrl() {
    return argoUrl;
  }

  /** The namespace the installation's Argo workflows run in. */
  String argoNamespace() {
    return argoNamespace;
  }

  Secret argoToken() {
    return argoToken;
  }

  EngineTls argoTls() {
    return argoTls;
  }

  @Override
  public String toString() {
    return "KubeflowSettings[url="
        + url
        + ", namespace="
        + namespace
        + ", token="
        + token
        + ", user="
        + (user == null ? null : userHeader + ": " + user)
        + ", tls="
        + tls
        + ", argoUrl="
        + argoUrl
        + ", argoNamespace="
        + argoNamespace
        + ", argoToken="
        + argoToken
        + "]";
  }
}
