package io.kaapana.workflow.adapter.support;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a file so that a reader (an engine scanning its folder, a restart reading state) sees the
 * old content or the new one, never a part of it.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /**
   * Writes {@code content} to a temporary file beside {@code target} (named {@code .<name>.….tmp}:
   * folder scans that skip dot files or look for an extension pass it by), forces it to disk, gives
   * it {@code permissions} (such as {@code rw-rw-r--}; null keeps the default; ignored where the
   * file system is not POSIX) and renames it over the target, atomically where the file system can.
   */
  public static void write(Path target, byte[] content, String permissions) throws IOException {
    Path folder = target.toAbsolutePath().getParent();
    Files.createDirectories(folder);
    Path temporary = Files.createTempFile(folder, "." + target.getFileName() + ".", ".tmp");
    try {
      try (FileChannel channel =
          FileChannel.open(
              temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      if (permissions != null) {
        try {
          Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException e) {
          // not a POSIX file system: the folder's defaults apply
        }
      }
      try {
        Files.move(
            temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }
}
