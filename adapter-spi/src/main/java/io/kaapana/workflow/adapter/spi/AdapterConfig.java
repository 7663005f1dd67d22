package io.kaapana.workflow.adapter.spi;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The adapter's configuration: flat string keys and values, e.g. {@code local.parallelism=4}. The
 * runtime fills it from its configuration file and environment variables.
 *
 * <p>Immutable and thread-safe. Typed getters throw {@link AdapterException} with {@link
 * AdapterException.ErrorCode#INVALID_CONFIG} naming the key when a value cannot be read, so a
 * factory's {@code validate} can collect their messages.
 */
public final class AdapterConfig {
  private final Map<String, String> values;

  public AdapterConfig(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  public static AdapterConfig of(String... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("keys and values come in pairs");
    }
    Map<String, String> map = new TreeMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return new AdapterConfig(map);
  }

  /** Every key and value, for adapters that take a whole prefix (never log it: secrets). */
  public Map<String, String> asMap() {
    return values;
  }

  public Optional<String> get(String key) {
    String value = values.get(key);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  public String require(String key) throws AdapterException {
    return get(key)
        .orElseThrow(
            () ->
                new AdapterException(
                    AdapterException.ErrorCode.INVALID_CONFIG, key + " is required"));
  }

  public String get(String key, String defaultValue) {
    return get(key).orElse(defaultValue);
  }

  public int getInt(String key, int defaultValue, int min, int max) throws AdapterException {
    Optional<String> text = get(key);
    if (text.isEmpty()) {
      return defaultValue;
    }
    try {
      int value = Integer.parseInt(text.get());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw invalid(key, "a whole number from " + min + " to " + max, text.get());
  }

  public boolean getBoolean(String key, boolean defaultValue) throws AdapterException {
    Optional<String> text = get(key);
    if (text.isEmpty()) {
      return defaultValue;
    }
    return switch (text.get().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw invalid(key, "true or false", text.get());
    };
  }

  /** A duration written as seconds ({@code 30}), with a unit ({@code 500ms}, {@code 2m}) or ISO. */
  public Duration getDuration(String key, Duration defaultValue) throws AdapterException {
    Optional<String> text = get(key);
    if (text.isEmpty()) {
      return defaultValue;
    }
    String value = text.get();
    try {
      Duration duration;
      if (value.matches("\\d+")) {
        duration = Duration.ofSeconds(Long.parseLong(value));
      } else if (value.matches("\\d+ms")) {
        duration = Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
      } else if (value.matches("\\d+[smh]")) {
        long amount = Long.parseLong(value.substring(0, value.length() - 1));
        duration =
            switch (value.charAt(value.length() - 1)) {
              case 's' -> Duration.ofSeconds(amount);
              case 'm' -> Duration.ofMinutes(amount);
              default -> Duration.ofHours(amount);
            };
      } else {
        duration = Duration.parse(value);
      }
      if (!duration.isNegative()) {
        return duration;
      }
    } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
      // reported below
    }
    throw invalid(key, "a duration such as 30s, 500ms or PT1M", value);
  }

  private static AdapterException invalid(String key, String expected, String got) {
    return new AdapterException(
        AdapterException.ErrorCode.INVALID_CONFIG,
        key + " must be " + expected + ", got '" + got + "'");
  }

  /** Lists the keys only: values may be secrets. */
  @Override
  public String toString() {
    return "AdapterConfig" + new TreeMap<>(values).keySet();
  }
}
