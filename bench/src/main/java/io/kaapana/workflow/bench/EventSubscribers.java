package io.kaapana.workflow.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many clients of the live event stream ({@code GET /v1/events}, from now on) that read every byte
 * as it comes, on one thread (non-blocking sockets), as a site full of consoles would.
 */
final class EventSubscribers implements AutoCloseable {
  private static final byte[] OPENED = ":stream open".getBytes(StandardCharsets.US_ASCII);

  private final Selector selector;
  private final List<SocketChannel> channels = new ArrayList<>();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong events = new AtomicLong();
  private final AtomicLong opened = new AtomicLong();
  private final Thread reader;
  private volatile boolean running = true;

  private EventSubscribers(Selector selector) {
    this.selector = selector;
    this.reader = new Thread(this::read, "event-subscribers");
    this.reader.setDaemon(true);
  }

  /** Opens {@code count} streams and waits until every one has its opening frame. */
  static EventSubscribers open(String serviceUrl, int count) throws Exception {
    URI url = URI.create(serviceUrl);
    EventSubscribers subscribers = new EventSubscribers(Selector.open());
    byte[] request =
        ("GET /v1/events HTTP/1.1\r\nHost: "
                + url.getHost()
                + "\r\nAccept: text/event-stream\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < count; i++) {
      SocketChannel channel =
          SocketChannel.open(new InetSocketAddress(url.getHost(), url.getPort()));
      channel.write(ByteBuffer.wrap(request));
      channel.configureBlocking(false);
      subscribers.channels.add(channel);
    }
    for (SocketChannel channel : subscribers.channels) {
      channel.register(subscribers.selector, SelectionKey.OP_READ, new int[1]);
    }
    subscribers.reader.start();
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (subscribers.opened.get() < count && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    if (subscribers.opened.get() < count) {
      subscribers.close();
      throw new IllegalStateException(
          "only " + subscribers.opened.get() + " of " + count + " event streams opened");
    }
    return subscribers;
  }

  long events() {
    return events.get();
  }

  long bytes() {
    return bytes.get();
  }

  private void read() {
    ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    try {
      while (running) {
        selector.select(200);
        for (SelectionKey key : selector.selectedKeys()) {
          SocketChannel channel = (SocketChannel) key.channel();
          int[] openMatch = (int[]) key.attachment();
          buffer.clear();
          int n = channel.read(buffer);
          if (n < 0) {
            key.cancel();
            continue;
          }
          bytes.addAndGet(n);
          for (int i = 0; i < n; i++) {
            byte b = buffer.get(i);
            if (openMatch[0] < OPENED.length) {
              openMatch[0] =
                  b == OPENED[openMatch[0]] ? openMatch[0] + 1 : (b == OPENED[0] ? 1 : 0);
              if (openMatch[0] == OPENED.length) {
                opened.incrementAndGet();
              }
            } else if (b == 'i'
                && i + 2 < n
                && buffer.get(i + 1) == 'd'
                && buffer.get(i + 2) == ':') {
              events.incrementAndGet();
            }
          }
        }
        selector.selectedKeys().clear();
      }
    } catch (IOException e) {
      if (running) {
        throw new IllegalStateException("reading the event streams failed", e);
      }
    }
  }

  @Override
  public void close() throws IOException {
    running = false;
    try {
      reader.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (SocketChannel channel : channels) {
      channel.close();
    }
    selector.close();
  }
}
