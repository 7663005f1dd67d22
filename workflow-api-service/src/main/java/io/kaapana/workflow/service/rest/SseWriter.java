package io.kaapana.workflow.service.rest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes Server-Sent Events to a response stream, one flushed frame per event. */
final class SseWriter {
  private final OutputStream out;

  SseWriter(OutputStream out) {
    this.out = out;
  }

  void event(String id, String name, String data) throws IOException {
    StringBuilder frame = new StringBuilder();
    if (id != null) {
      frame.append("id: ").append(id).append('\n');
    }
    if (name != null) {
      frame.append("event: ").append(name).append('\n');
    }
    for (String line : data.split("\n", -1)) {
      frame.append("data: ").append(line).append('\n');
    }
    frame.append('\n');
    write(frame.toString());
  }

  /** A comment line: keeps proxies from closing an idle stream and detects a gone client. */
  void keepAlive() throws IOException {
    write(": keep-alive\n\n");
  }

  void retry(long millis) throws IOException {
    write("retry: " + millis + "\n\n");
  }

  private void write(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
