package io.kaapana.workflow.adapter.argo;

import io.kaapana.workflow.adapter.support.PodLogs;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The names the adapter gives things in Kubernetes and Argo: derived from immutable ids, so the
 * same revision or run always gets the same name (also in another adapter instance), and valid
 * Kubernetes names and labels whatever the Kaapana values are.
 */
final class ArgoNames {

  /** A Kubernetes label value: at most 63 characters, alphanumerics with {@code -_.} inside. */
  private static final Pattern LABEL_VALUE =
      Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

  private static final Pattern NOT_IN_LABEL_VALUE = Pattern.compile("[^-A-Za-z0-9_.]+");

  /** The label every workflow of the adapter carries, for reverse lookup and watch selectors. */
  static final String RUN_ID_LABEL = "kaapana.io/run-id";

  private ArgoNames() {}

  /** {@code kaapana-<workflow id>-v<increment>}: a DNS label (at most 63 characters). */
  static String templateName(String workflowId, int increment) {
    return "kaapana-" + workflowId.toLowerCase(Locale.ROOT) + "-v" + increment;
  }

  /** {@code kaapana-<run id>}: one Argo workflow per Kaapana run; retries retry it in place. */
  static String workflowName(String runId) {
    return "kaapana-" + runId.toLowerCase(Locale.ROOT);
  }

  /**
   * A Kaapana label value as a Kubernetes label value: unchanged when valid, otherwise a readable
   * prefix and a hash of the whole value (so two different values never meet).
   */
  static String labelValue(String value) {
    if (value == null) {
      return "";
    }
    if (LABEL_VALUE.matcher(value).matches()) {
      return value;
    }
    String hash = sha256Hex(value).substring(0, 12);
    String readable = NOT_IN_LABEL_VALUE.matcher(value).replaceAll("-");
    if (readable.length() > 40) {
      readable = readable.substring(0, 40);
    }
    readable = readable.replaceAll("^[^A-Za-z0-9]+", "").replaceAll("[^A-Za-z0-9]+$", "");
    return readable.isEmpty() ? "h" + hash : readable + "-" + hash;
  }

  /**
   * The labels of an Argo workflow: the run's labels with Kubernetes-safe values, plus {@link
   * #RUN_ID_LABEL}. Kaapana label keys already follow Kubernetes' key rules.
   */
  static Map<String, String> workflowLabels(String runId, Map<String, String> runLabels) {
    Map<String, String> labels = new LinkedHashMap<>();
    runLabels.forEach((key, value) -> labels.put(key, labelValue(value)));
    labels.put(RUN_ID_LABEL, runId);
    return labels;
  }

  /** argo-server wants submit labels as one {@code k=v,k2=v2} string. */
  static String labelString(Map<String, String> labels) {
    StringBuilder text = new StringBuilder();
    labels.forEach(
        (key, value) -> {
          if (text.length() > 0) {
            text.append(',');
          }
          text.append(key).append('=').append(value);
        });
    return text.toString();
  }

  /** The pod of a node under Argo's default pod naming v2 ({@link PodLogs#argoPodName}). */
  static String podName(String workflowName, String templateName, String nodeName) {
    return PodLogs.argoPodName(workflowName, templateName, nodeName);
  }

  static int fnv32a(String text) {
    return PodLogs.fnv32a(text);
  }

  private static String sha256Hex(String value) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
