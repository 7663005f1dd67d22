package io.kaapana.workflow.adapter.support;

import io.kaapana.workflow.adapter.spi.AdapterException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/**
 * A password or token, given inline or kept in a file. A file is read again when it changed
 * (Kubernetes rotates projected service-account tokens and updates mounted secrets) and after
 * {@link #forget()} (an engine that answered 401). Its value never appears in {@link #toString}.
 */
public final class Secret {
  private final String inline;
  private final Path file;
  private String fromFile;
  private FileTime readAt;

  private Secret(String inline, Path file) {
    this.inline = inline;
    this.file = file;
  }

  public static Secret inline(String value) {
    return new Secret(value, null);
  }

  public static Secret file(Path file) {
    return new Secret(null, file);
  }

  /** The current value: the inline one, or the file's content (stripped). */
  public synchronized String value() throws AdapterException {
    if (file == null) {
      return inline;
    }
    try {
      FileTime modified = Files.getLastModifiedTime(file);
      if (fromFile == null || !modified.equals(readAt)) {
        fromFile = Files.readString(file, StandardCharsets.UTF_8).strip();
        readAt = modified;
      }
      return fromFile;
    } catch (IOException e) {
      throw new AdapterException(
          AdapterException.ErrorCode.UNAVAILABLE,
          "cannot read the secret file " + file + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * Reads the file again on the next {@link #value()} (it may have been rotated); true when the
   * secret is kept in a file, so that the next value may differ.
   */
  public synchronized boolean forget() {
    fromFile = null;
    return file != null;
  }

  @Override
  public String toString() {
    return file == null ? "Secret[inline]" : "Secret[file=" + file + "]";
  }
}
