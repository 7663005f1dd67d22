package io.kaapana.workflow.service;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A client of a live stream on a plain socket, so that a test decides exactly when it reads and
 * when it leaves (as a browser tab that is closed, or a CLI that is killed).
 */
public final class SseClient implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final StringBuilder received = new StringBuilder();
  private int status;

  private SseClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
  }

  /**
   * Sends {@code GET pathAndQuery} with {@code Accept: text/event-stream} and the extra headers.
   */
  public static SseClient open(URI base, String pathAndQuery, String... headers)
      throws IOException {
    Socket socket = new Socket(base.getHost(), base.getPort());
    socket.setSoTimeout(20_000);
    StringBuilder request =
        new StringBuilder("GET ")
            .append(pathAndQuery)
            .append(" HTTP/1.1\r\nHost: ")
            .append(base.getHost())
            .append("\r\nAccept: text/event-stream\r\n");
    for (String header : headers) {
      request.append(header).append("\r\n");
    }
    request.append("\r\n");
    OutputStream out = socket.getOutputStream();
    out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return new SseClient(socket);
  }

  /** Reads the status line and headers; returns the status. */
  public int readHead() throws IOException {
    String head = readUntil("\r\n\r\n");
    status = Integer.parseInt(head.substring(9, 12));
    return status;
  }

  /** Reads the frame that opens every stream (a comment and the reconnect delay). */
  public void awaitOpen() throws IOException {
    readUntil(":stream open\nretry:2000\n\n");
  }

  /** Reads until {@code marker} has arrived (or fails on the read timeout); returns all so far. */
  public String readUntil(String marker) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    while (received.indexOf(marker) < 0) {
      int n = in.read(buffer);
      if (n < 0) {
        throw new IOException("the server closed the stream before '" + marker + "' arrived");
      }
      bytes.reset();
      bytes.write(buffer, 0, n);
      received.append(bytes.toString(StandardCharsets.UTF_8));
    }
    String all = received.toString();
    int end = all.indexOf(marker) + marker.length();
    received.delete(0, end);
    return all.substring(0, end);
  }

  /** Reads until the server closes the connection; returns what came. */
  public String readToEnd() throws IOException {
    byte[] buffer = new byte[4096];
    int n;
    while ((n = in.read(buffer)) >= 0) {
      received.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
    }
    return received.toString();
  }

  /** The values of the SSE field {@code name} in {@code text}, in order. */
  public static List<String> field(String text, String name) {
    List<String> values = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.startsWith(name + ":")) {
        values.add(line.substring(name.length() + 1).strip());
      }
    }
    return values;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
