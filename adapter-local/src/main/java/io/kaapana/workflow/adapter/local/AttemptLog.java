package io.kaapana.workflow.adapter.local;

import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import io.kaapana.workflow.adapter.spi.LogPage;
import io.kaapana.workflow.adapter.spi.LogPage.LogLine;
import io.kaapana.workflow.adapter.spi.LogPage.Severity;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The log file of one task attempt: one line per captured line, {@code
 * <instant>\t<stream>\t<text>}. The cursor is the byte offset after the last line returned, so
 * paging never loses or repeats a line, and reading from a cursor again returns the lines appended
 * since.
 */
final class AttemptLog implements AutoCloseable {
  static final String ENGINE = "engine";

  private final BufferedWriter writer;
  private final Clock clock;

  private AttemptLog(BufferedWriter writer, Clock clock) {
    this.writer = writer;
    this.clock = clock;
  }

  static Path file(Path runDirectory, String task, int attempt) {
    return runDirectory.resolve("logs").resolve(task).resolve(attempt + ".log");
  }

  static AttemptLog open(Path file, Clock clock) throws IOException {
    Files.createDirectories(file.getParent());
    return new AttemptLog(
        Files.newBufferedWriter(
            file,
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE),
        clock);
  }

  /** Appends one line; line breaks and tabs inside it are kept readable but cannot split it. */
  synchronized void append(String stream, String text) {
    try {
      writer.write(clock.instant().toString());
      writer.write('\t');
      writer.write(stream);
      writer.write('\t');
      writer.write(text.replace('\r', ' ').replace('\n', ' '));
      writer.write('\n');
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      writer.close();
    } catch (IOException e) {
      // the lines written so far stay readable
    }
  }

  /** Reads up to {@code limit} whole lines after {@code cursor}. */
  static LogPage read(Path file, String cursor, int limit, boolean attemptFinished)
      throws AdapterException {
    long offset = parseCursor(cursor);
    if (!Files.exists(file)) {
      if (offset != 0) {
        throw new AdapterException(ErrorCode.INVALID_REQUEST, "cursor is past the end of the log");
      }
      return new LogPage(List.of(), "0", attemptFinished);
    }
    List<LogLine> lines = new ArrayList<>();
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long length = in.length();
      if (offset > length) {
        throw new AdapterException(ErrorCode.INVALID_REQUEST, "cursor is past the end of the log");
      }
      in.seek(offset);
      byte[] buffer = new byte[(int) Math.min(length - offset, 4L * 1024 * 1024)];
      in.readFully(buffer);
      int start = 0;
      for (int i = 0; i < buffer.length && lines.size() < limit; i++) {
        if (buffer[i] == '\n') {
          lines.add(parseLine(new String(buffer, start, i - start, StandardCharsets.UTF_8)));
          start = i + 1;
        }
      }
      long next = offset + start;
      // Complete only when the attempt is over and this page reached the end of the file.
      boolean complete = attemptFinished && next == length;
      return new LogPage(lines, Long.toString(next), complete);
    } catch (IOException e) {
      throw new AdapterException(ErrorCode.ENGINE_ERROR, "cannot read " + file + ": " + e, e);
    }
  }

  private static long parseCursor(String cursor) throws AdapterException {
    if (cursor == null || cursor.isEmpty()) {
      return 0;
    }
    try {
      long offset = Long.parseLong(cursor);
      if (offset >= 0) {
        return offset;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new AdapterException(
        ErrorCode.INVALID_REQUEST, "cursor '" + cursor + "' was not handed out by this adapter");
  }

  private static LogLine parseLine(String line) {
    String[] parts = line.split("\t", 3);
    Instant time;
    try {
      time = Instant.parse(parts[0]);
    } catch (DateTimeParseException e) {
      time = Instant.EPOCH;
    }
    String stream = parts.length > 1 ? parts[1] : ENGINE;
    String text = parts.length > 2 ? parts[2] : "";
    Severity severity =
        switch (stream) {
          case "stderr" -> Severity.WARNING;
          case "engine-error" -> Severity.ERROR;
          default -> Severity.INFO;
        };
    String source = stream.startsWith(ENGINE) ? ENGINE : stream;
    return new LogLine(time, severity, text, Map.of("stream", source));
  }
}
