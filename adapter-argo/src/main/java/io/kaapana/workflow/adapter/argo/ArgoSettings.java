package io.kaapana.workflow.adapter.argo;

import io.kaapana.workflow.adapter.spi.AdapterConfig;
import io.kaapana.workflow.adapter.spi.AdapterException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
  static final String CA_FILE = "argo.ca-file";
  static final String CONNECT_TIMEOUT = "argo.connect-timeout";
  static final String REQUEST_TIMEOUT = "argo.request-timeout";
  static final String SERVICE_ACCOUNT = "argo.service-account";
  static final String RELIST_AFTER = "argo.relist-after";

  static final Set<String> SENSITIVE = Set.of(TOKEN);

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  private final URI url;
  private final String namespace;
  private final String inlineToken;
  private final Path tokenFile;
  private final Path caFile;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final String serviceAccount;
  private final Duration relistAfter;

  private FileTime tokenReadAt;
  private String tokenFromFile;

  private ArgoSettings(
      URI url,
      String namespace,
      String inlineToken,
      Path tokenFile,
      Path caFile,
      Duration connectTimeout,
      Duration requestTimeout,
      String serviceAccount,
      Duration relistAfter) {
    this.url = url;
    this.namespace = namespace;
    this.inlineToken = inlineToken;
    this.tokenFile = tokenFile;
    this.caFile = caFile;
    this.connectTimeout = connectTimeout;
    this.requestTimeout = requestTimeout;
    this.serviceAccount = serviceAccount;
    this.relistAfter = relistAfter;
  }

  /** Every problem of the configuration, one message each. */
  static List<String> problems(AdapterConfig config) {
    List<String> problems = new ArrayList<>();
    try {
      read(config, problems);
    } catch (RuntimeException e) {
      problems.add("the configuration cannot be read: " + e.getMessage());
    }
    return problems;
  }

  static ArgoSettings from(AdapterConfig config) throws AdapterException {
    List<String> problems = new ArrayList<>();
    ArgoSettings settings = read(config, problems);
    if (!problems.isEmpty()) {
      throw new AdapterException(
          AdapterException.ErrorCode.INVALID_CONFIG, String.join("; ", problems));
    }
    return settings;
  }

  private static ArgoSettings read(AdapterConfig config, List<String> problems) {
    URI url = null;
    Optional<String> urlText = config.get(URL);
    if (urlText.isEmpty()) {
      problems.add(URL + " is required (argo-server, e.g. https://argo-server.argo:2746)");
    } else {
      try {
        url = new URI(urlText.get().replaceAll("/+$", ""));
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())
            || url.getHost() == null) {
          problems.add(URL + " must be an http or https URL, got '" + urlText.get() + "'");
        }
      } catch (URISyntaxException e) {
        problems.add(URL + " must be an http or https URL, got '" + urlText.get() + "'");
      }
    }
    String namespace = config.get(NAMESPACE, "argo");
    if (!DNS_LABEL.matcher(namespace).matches()) {
      problems.add(NAMESPACE + " must be a Kubernetes namespace name, got '" + namespace + "'");
    }
    Path tokenFile = readableFile(config, TOKEN_FILE, problems);
    Path caFile = readableFile(config, CA_FILE, problems);
    String token = config.get(TOKEN).orElse(null);
    if (token != null && config.get(TOKEN_FILE).isPresent()) {
      problems.add("give " + TOKEN + " or " + TOKEN_FILE + ", not both");
    }
    Duration connect = duration(config, CONNECT_TIMEOUT, Duration.ofSeconds(10), problems);
    Duration request = duration(config, REQUEST_TIMEOUT, Duration.ofSeconds(30), problems);
    Duration relist = duration(config, RELIST_AFTER, Duration.ofMinutes(5), problems);
    String serviceAccount = config.get(SERVICE_ACCOUNT).orElse(null);
    return new ArgoSettings(
        url, namespace, token, tokenFile, caFile, connect, request, serviceAccount, relist);
  }

  private static Path readableFile(AdapterConfig config, String key, List<String> problems) {
    Optional<String> text = config.get(key);
    if (text.isEmpty()) {
      return null;
    }
    try {
      Path path = Path.of(text.get());
      if (Files.isReadable(path) && Files.isRegularFile(path)) {
        return path;
      }
    } catch (java.nio.file.InvalidPathException e) {
      // reported below
    }
    problems.add(key + " must be a readable file, got '" + text.get() + "'");
    return null;
  }

  private static Duration duration(
      AdapterConfig config, String key, Duration defaultValue, List<String> problems) {
    try {
      return config.getDuration(key, defaultValue);
    } catch (AdapterException e) {
      problems.add(e.getMessage());
      return defaultValue;
    }
  }

  URI url() {
    return url;
  }

  String namespace() {
    return namespace;
  }

  Path caFile() {
    return caFile;
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
  synchronized String token() throws AdapterException {
    if (tokenFile == null) {
      return inlineToken;
    }
    try {
      FileTime modified = Files.getLastModifiedTime(tokenFile);
      if (tokenFromFile == null || !modified.equals(tokenReadAt)) {
        tokenFromFile = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
        tokenReadAt = modified;
      }
      return tokenFromFile;
    } catch (IOException e) {
      throw new AdapterException(
          AdapterException.ErrorCode.UNAVAILABLE,
          "cannot read the token file " + tokenFile + ": " + e.getMessage(),
          e);
    }
  }

  /** Forgets the token read from the file (after a 401: the file may have been rotated). */
  synchronized void forgetToken() {
    tokenFromFile = null;
  }

  @Override
  public String toString() {
    return "ArgoSettings[url="
        + url
        + ", namespace="
        + namespace
        + ", tokenFile="
        + tokenFile
        + ", caFile="
        + caFile
        + "]";
  }
}
