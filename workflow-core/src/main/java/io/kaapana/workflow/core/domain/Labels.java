package io.kaapana.workflow.core.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A validated, immutable set of labels (string keys to string values) with the key and value rules
 * of the contract and the two reserved prefixes.
 */
public final class Labels {
  /** Set by the service only; clients that send it get 422. */
  public static final String SYSTEM_PREFIX = "kaapana.io/";

  /** May be added, never changed or removed afterwards (except by an audited admin update). */
  public static final String IMMUTABLE_PREFIX = "kaapana.immutable.";

  public static final String WORKFLOW_ID = SYSTEM_PREFIX + "workflow-id";
  public static final String WORKFLOW_TITLE = SYSTEM_PREFIX + "workflow-title";
  public static final String WORKFLOW_ENGINE = SYSTEM_PREFIX + "workflow-engine";
  public static final String REVISION = SYSTEM_PREFIX + "revision";

  /** The project a run belongs to: set at creation from the caller's request, never changed. */
  public static final String PROJECT = SYSTEM_PREFIX + "project";

  private static final int MAX_NAME = 63;
  private static final int MAX_PREFIX = 253;
  private static final int MAX_VALUE = 255;

  /** At most this many labels in one request object (a run also carries its revision's). */
  public static final int MAX_COUNT = 64;

  /** At most this many characters of keys and values together in one request object. */
  public static final int MAX_TOTAL_CHARS = 16_384;

  private static final Pattern NAME =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?");
  private static final Pattern DNS_PREFIX =
      Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
  private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9._:@/+-]*");

  private static final Labels EMPTY = new Labels(Map.of());

  private final Map<String, String> entries;

  private Labels(Map<String, String> entries) {
    this.entries = Collections.unmodifiableMap(new TreeMap<>(entries));
  }

  public static Labels empty() {
    return EMPTY;
  }

  /**
   * Labels a client sent: checks every key and value and refuses the system prefix.
   *
   * @param at where the labels object is in the request, for error locations
   */
  public static Labels fromClient(Map<String, String> raw, FieldPath at) {
    if (raw == null || raw.isEmpty()) {
      return EMPTY;
    }
    if (raw.size() > MAX_COUNT) {
      throw WorkflowApiException.invalid(
          ErrorCode.VALIDATION_FAILED,
          List.of(
              new FieldError(
                  at, "at most " + MAX_COUNT + " labels are accepted, got " + raw.size())));
    }
    long chars = 0;
    for (Map.Entry<String, String> e : raw.entrySet()) {
      chars +=
          (e.getKey() == null ? 0 : e.getKey().length())
              + (e.getValue() == null ? 0 : e.getValue().length());
    }
    if (chars > MAX_TOTAL_CHARS) {
      throw WorkflowApiException.invalid(
          ErrorCode.VALIDATION_FAILED,
          List.of(
              new FieldError(
                  at,
                  "labels may have at most "
                      + MAX_TOTAL_CHARS
                      + " characters of keys and values together, got "
                      + chars)));
    }
    List<FieldError> errors = new ArrayList<>();
    for (Map.Entry<String, String> e : raw.entrySet()) {
      FieldPath label = at.key(e.getKey());
      keyProblem(e.getKey()).ifPresent(m -> errors.add(new FieldError(label, m)));
      valueProblem(e.getValue()).ifPresent(m -> errors.add(new FieldError(label, m)));
      if (e.getKey() != null && e.getKey().startsWith(SYSTEM_PREFIX)) {
        errors.add(
            new FieldError(
                label,
                "label keys with the prefix '" + SYSTEM_PREFIX + "' are set by the service"));
      }
    }
    if (!errors.isEmpty()) {
      throw WorkflowApiException.invalid(ErrorCode.VALIDATION_FAILED, errors);
    }
    return new Labels(raw);
  }

  /** Labels from storage or from the service itself; trusted, so not re-validated. */
  public static Labels trusted(Map<String, String> raw) {
    return raw == null || raw.isEmpty() ? EMPTY : new Labels(raw);
  }

  /** Why the key is not a valid label key, if it is not. */
  public static java.util.Optional<String> keyProblem(String key) {
    if (key == null || key.isEmpty()) {
      return java.util.Optional.of("label key must not be empty");
    }
    String name = key;
    int slash = key.indexOf('/');
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      name = key.substring(slash + 1);
      if (prefix.isEmpty()
          || prefix.length() > MAX_PREFIX
          || !DNS_PREFIX.matcher(prefix).matches()) {
        return java.util.Optional.of(
            "label key '"
                + key
                + "': the prefix before '/' must be a DNS subdomain (lower-case letters, digits,"
                + " '-' and '.', at most 253 characters)");
      }
    }
    if (name.isEmpty() || name.length() > MAX_NAME || !NAME.matcher(name).matches()) {
      return java.util.Optional.of(
          "label key '"
              + key
              + "': the name must be 1 to 63 characters of [A-Za-z0-9._-], starting and ending"
              + " with a letter or digit");
    }
    return java.util.Optional.empty();
  }

  /** Why the value is not a valid label value, if it is not. */
  public static java.util.Optional<String> valueProblem(String value) {
    if (value == null) {
      return java.util.Optional.of("label value must be a string");
    }
    if (value.length() > MAX_VALUE || !VALUE.matcher(value).matches()) {
      return java.util.Optional.of(
          "label value '"
              + value
              + "' must be at most 255 characters of [A-Za-z0-9._:@/+-], or empty");
    }
    return java.util.Optional.empty();
  }

  /** These labels overlaid with {@code other}: a key in both takes the value of {@code other}. */
  public Labels overlay(Labels other) {
    if (other.entries.isEmpty()) {
      return this;
    }
    Map<String, String> merged = new TreeMap<>(entries);
    merged.putAll(other.entries);
    return new Labels(merged);
  }

  /** These labels without the service's own {@code kaapana.io/} entries. */
  public Labels withoutSystemLabels() {
    Map<String, String> copy = new TreeMap<>(entries);
    copy.keySet().removeIf(k -> k.startsWith(SYSTEM_PREFIX));
    return new Labels(copy);
  }

  /**
   * Refuses a change from {@code before} to {@code after} that changes or removes an immutable
   * label.
   */
  public static void checkImmutableKept(Labels before, Labels after, FieldPath at) {
    List<FieldError> errors = new ArrayList<>();
    for (Map.Entry<String, String> e : before.entries.entrySet()) {
      if (!e.getKey().startsWith(IMMUTABLE_PREFIX)) {
        continue;
      }
      String now = after.entries.get(e.getKey());
      FieldPath label = at.key(e.getKey());
      if (now == null) {
        errors.add(new FieldError(label, "immutable label '" + e.getKey() + "' cannot be removed"));
      } else if (!now.equals(e.getValue())) {
        errors.add(
            new FieldError(
                label,
                "immutable label '"
                    + e.getKey()
                    + "' cannot change from '"
                    + e.getValue()
                    + "' to '"
                    + now
                    + "'"));
      }
    }
    if (!errors.isEmpty()) {
      throw WorkflowApiException.invalid(ErrorCode.VALIDATION_FAILED, errors);
    }
  }

  public String get(String key) {
    return entries.get(key);
  }

  public Map<String, String> asMap() {
    return entries;
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Labels other && entries.equals(other.entries);
  }

  @Override
  public int hashCode() {
    return Objects.hash(entries);
  }

  @Override
  public String toString() {
    return entries.toString();
  }
}
