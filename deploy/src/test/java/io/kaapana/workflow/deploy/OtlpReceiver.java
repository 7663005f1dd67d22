package io.kaapana.workflow.deploy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP trace receiver on loopback (as a collector would be): keeps every span it is sent,
 * decoded from the protobuf wire format with the few fields a test reads.
 */
final class OtlpReceiver implements AutoCloseable {
  /** One received span. Ids in lower-case hex; {@code parentSpanId} empty for a root span. */
  record ReceivedSpan(
      String service, String traceId, String spanId, String parentSpanId, String name) {}

  private final HttpServer server;
  private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();

  OtlpReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/v1/traces",
        exchange -> {
          try (InputStream body = exchange.getRequestBody()) {
            byte[] bytes = body.readAllBytes();
            if ("gzip"
                .equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
              bytes = new GZIPInputStream(new ByteArrayInputStream(bytes)).readAllBytes();
            }
            spans.addAll(decode(bytes));
          }
          exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
  }

  /** The base URL, for {@code OTEL_EXPORTER_OTLP_ENDPOINT}. */
  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  List<ReceivedSpan> spans() {
    return List.copyOf(spans);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** An {@code ExportTraceServiceRequest}: resource_spans(1) → resource(1), scope_spans(2). */
  static List<ReceivedSpan> decode(byte[] request) {
    List<ReceivedSpan> out = new ArrayList<>();
    for (Field resourceSpans : Field.all(request)) {
      if (resourceSpans.number != 1) {
        continue;
      }
      String service = "";
      List<byte[]> scopeSpans = new ArrayList<>();
      for (Field f : Field.all(resourceSpans.bytes)) {
        if (f.number == 1) {
          service = serviceName(f.bytes);
        } else if (f.number == 2) {
          scopeSpans.add(f.bytes);
        }
      }
      for (byte[] scope : scopeSpans) {
        for (Field span : Field.all(scope)) {
          if (span.number == 2) {
            out.add(span(service, span.bytes));
          }
        }
      }
    }
    return out;
  }

  /** Span: trace_id(1), span_id(2), parent_span_id(4), name(5). */
  private static ReceivedSpan span(String service, byte[] span) {
    String traceId = "";
    String spanId = "";
    String parent = "";
    String name = "";
    for (Field f : Field.all(span)) {
      switch (f.number) {
        case 1 -> traceId = HexFormat.of().formatHex(f.bytes);
        case 2 -> spanId = HexFormat.of().formatHex(f.bytes);
        case 4 -> parent = HexFormat.of().formatHex(f.bytes);
        case 5 -> name = new String(f.bytes, StandardCharsets.UTF_8);
        default -> {}
      }
    }
    return new ReceivedSpan(service, traceId, spanId, parent, name);
  }

  /** Resource: attributes(1) of KeyValue: key(1), value(2) of AnyValue: string_value(1). */
  private static String serviceName(byte[] resource) {
    for (Field attribute : Field.all(resource)) {
      if (attribute.number != 1) {
        continue;
      }
      String key = null;
      String value = null;
      for (Field f : Field.all(attribute.bytes)) {
        if (f.number == 1) {
          key = new String(f.bytes, StandardCharsets.UTF_8);
        } else if (f.number == 2) {
          for (Field any : Field.all(f.bytes)) {
            if (any.number == 1) {
              value = new String(any.bytes, StandardCharsets.UTF_8);
            }
          }
        }
      }
      if ("service.name".equals(key)) {
        return value;
      }
    }
    return "";
  }

  /** One field of a protobuf message; {@code bytes} for length-delimited fields only. */
  private record Field(int number, byte[] bytes) {
    static List<Field> all(byte[] message) {
      List<Field> fields = new ArrayList<>();
      int[] at = {0};
      while (at[0] < message.length) {
        long tag = varint(message, at);
        int number = (int) (tag >>> 3);
        int wireType = (int) (tag & 7);
        switch (wireType) {
          case 0 -> {
            varint(message, at);
            fields.add(new Field(number, null));
          }
          case 1 -> {
            at[0] += 8;
            fields.add(new Field(number, null));
          }
          case 2 -> {
            int length = (int) varint(message, at);
            byte[] bytes = new byte[length];
            System.arraycopy(message, at[0], bytes, 0, length);
            at[0] += length;
            fields.add(new Field(number, bytes));
          }
          case 5 -> {
            at[0] += 4;
            fields.add(new Field(number, null));
          }
          default -> throw new IllegalArgumentException("wire type " + wireType);
        }
      }
      return fields;
    }

    private static long varint(byte[] message, int[] at) {
      long value = 0;
      for (int shift = 0; ; shift += 7) {
        byte b = message[at[0]++];
        value |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          return value;
        }
      }
    }
  }
}
