package io.kaapana.workflow.quickstart;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A reverse proxy as Kaapana runs one in front of the service: it answers under a path prefix (e.g.
 * /workflow-api) and strips it before passing a request on. One request per connection ({@code
 * Connection: close}), bytes relayed as they come, so event streams pass unbuffered. Listens on
 * loopback; the test closes it.
 */
final class PrefixProxy implements AutoCloseable {
  private static final int MAX_HEAD_BYTES = 64 * 1024;

  private final ServerSocket server;
  private final String prefix;
  private final int backendPort;

  PrefixProxy(String prefix, int backendPort) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.prefix = prefix;
    this.backendPort = backendPort;
    Thread accept = new Thread(this::accept, "prefix-proxy");
    accept.setDaemon(true);
    accept.start();
  }

  int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Thread worker = new Thread(() -> serve(client), "prefix-proxy-request");
        worker.setDaemon(true);
        worker.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket client) {
    try (client;
        Socket backend = new Socket(InetAddress.getLoopbackAddress(), backendPort)) {
      String head = readHead(client.getInputStream());
      if (head == null) {
        return;
      }
      int firstLineEnd = head.indexOf("\r\n");
      String[] requestLine = head.substring(0, firstLineEnd).split(" ", 3);
      String target = requestLine[1];
      OutputStream toClient = client.getOutputStream();
      if (!(target.equals(prefix) || target.startsWith(prefix + "/"))) {
        toClient.write(
            "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        return;
      }
      String stripped = target.substring(prefix.length());
      StringBuilder rewritten =
          new StringBuilder(requestLine[0])
              .append(' ')
              .append(stripped.isEmpty() ? "/" : stripped)
              .append(' ')
              .append(requestLine[2])
              .append("\r\n");
      for (String line : head.substring(firstLineEnd + 2).split("\r\n")) {
        if (!line.isEmpty() && !line.regionMatches(true, 0, "Connection:", 0, 11)) {
          rewritten.append(line).append("\r\n");
        }
      }
      rewritten.append("Connection: close\r\n\r\n");
      OutputStream toBackend = backend.getOutputStream();
      toBackend.write(rewritten.toString().getBytes(StandardCharsets.ISO_8859_1));
      toBackend.flush();
      Thread upload =
          new Thread(() -> relay(clientInput(client), toBackend), "prefix-proxy-upload");
      upload.setDaemon(true);
      upload.start();
      relay(backend.getInputStream(), toClient);
    } catch (IOException e) {
      // either side left: nothing to clean up beyond the sockets
    }
  }

  private static InputStream clientInput(Socket client) {
    try {
      return client.getInputStream();
    } catch (IOException e) {
      return InputStream.nullInputStream();
    }
  }

  private static void relay(InputStream from, OutputStream to) {
    byte[] buffer = new byte[8192];
    try {
      int n;
      while ((n = from.read(buffer)) > 0) {
        to.write(buffer, 0, n);
        to.flush();
      }
    } catch (IOException e) {
      // the other side closed
    }
  }

  /** The request line and headers, up to the blank line; null when the client sent none. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (head.size() < MAX_HEAD_BYTES) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
      if (matched == 4) {
        String text = head.toString(StandardCharsets.ISO_8859_1);
        return text.substring(0, text.length() - 4);
      }
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
