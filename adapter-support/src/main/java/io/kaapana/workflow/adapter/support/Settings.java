package io.kaapana.workflow.adapter.support;

import io.kaapana.workflow.adapter.spi.AdapterConfig;
import io.kaapana.workflow.adapter.spi.AdapterException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads an adapter's settings and collects every problem, one sentence each, so that a
 * configuration is refused once with all that is wrong with it. Each getter returns a usable value
 * or null (or the default) and records what was wrong.
 */
public final class Settings {
  private final AdapterConfig config;
  private final List<String> problems = new ArrayList<>();

  public Settings(AdapterConfig config) {
    this.config = config;
  }

  public Optional<String> get(String key) {
    return config.get(key);
  }

  public String get(String key, String defaultValue) {
    return config.get(key, defaultValue);
  }

  /** Records a problem found by the adapter's own checks. */
  public void problem(String message) {
    problems.add(message);
  }

  public List<String> problems() {
    return List.copyOf(problems);
  }

  /** Refuses the configuration with every problem found, if there is any. */
  public void check() throws AdapterException {
    if (!problems.isEmpty()) {
      throw new AdapterException(
          AdapterException.ErrorCode.INVALID_CONFIG, String.join("; ", problems));
    }
  }

  /**
   * Every problem {@code reader} finds in the configuration, one message each; a reader that fails
   * on a value it cannot handle is one problem, not an exception (for a factory's validate()).
   */
  public static List<String> problems(
      AdapterConfig config, java.util.function.Function<Settings, ?> reader) {
    Settings settings = new Settings(config);
    try {
      reader.apply(settings);
    } catch (RuntimeException e) {
      settings.problem("the configuration cannot be read: " + e.getMessage());
    }
    return settings.problems();
  }

  /** What {@code reader} makes of the configuration; any problem it found refuses it. */
  public static <T> T read(AdapterConfig config, java.util.function.Function<Settings, T> reader)
      throws AdapterException {
    Settings settings = new Settings(config);
    T value = reader.apply(settings);
    settings.check();
    return value;
  }

  /** A required http or https URL without trailing slashes; {@code example} shows one. */
  public URI httpUrl(String key, String example) {
    Optional<String> text = config.get(key);
    if (text.isEmpty()) {
      problems.add(key + " is required (" + example + ")");
      return null;
    }
    try {
      URI url = new URI(text.get().replaceAll("/+$", ""));
      if (("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
          && url.getHost() != null) {
        return url;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    problems.add(key + " must be an http or https URL, got '" + text.get() + "'");
    return null;
  }

  public Duration duration(String key, Duration defaultValue) {
    try {
      return config.getDuration(key, defaultValue);
    } catch (AdapterException e) {
      problems.add(e.getMessage());
      return defaultValue;
    }
  }

  /** An optional file that must be readable when given. */
  public Path readableFile(String key) {
    Optional<String> text = config.get(key);
    if (text.isEmpty()) {
      return null;
    }
    try {
      Path path = Path.of(text.get());
      if (Files.isReadable(path) && Files.isRegularFile(path)) {
        return path;
      }
    } catch (InvalidPathException e) {
      // reported below
    }
    problems.add(key + " must be a readable file, got '" + text.get() + "'");
    return null;
  }

  /** A required, existing directory; {@code purpose} says what it is for. */
  public Path directory(String key, String purpose) {
    Optional<String> text = config.get(key);
    if (text.isEmpty()) {
      problems.add(key + " is required (" + purpose + ")");
      return null;
    }
    try {
      Path path = Path.of(text.get());
      if (Files.isDirectory(path)) {
        return path;
      }
      problems.add(key + " must be an existing directory, got '" + text.get() + "'");
    } catch (InvalidPathException e) {
      problems.add(key + " must be a directory path, got '" + text.get() + "'");
    }
    return null;
  }

  /**
   * A secret given inline or as a file (a mounted Kubernetes secret or a projected token, read
   * again when it changes); giving both is a problem. Empty when neither is given.
   */
  public Optional<Secret> secret(String inlineKey, String fileKey) {
    Optional<String> inline = config.get(inlineKey);
    Optional<String> file = config.get(fileKey);
    if (inline.isPresent() && file.isPresent()) {
      problems.add("give " + inlineKey + " or " + fileKey + ", not both");
      return Optional.empty();
    }
    if (inline.isPresent()) {
      return Optional.of(Secret.inline(inline.get()));
    }
    if (file.isEmpty()) {
      return Optional.empty();
    }
    Path path = readableFile(fileKey);
    return path == null ? Optional.empty() : Optional.of(Secret.file(path));
  }

  /** A value read by the caller's own parser, its failure recorded as a problem. */
  public <T> T read(Reading<T> reading, T fallback) {
    try {
      return reading.read();
    } catch (AdapterException e) {
      problems.add(e.getMessage());
      return fallback;
    }
  }

  /** A parser of a setting that may refuse it. */
  public interface Reading<T> {
    T read() throws AdapterException;
  }
}
