package io.kaapana.workflow.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Clients that open the event stream from the start and never read cost the service no more than
 * the documented ceiling of resident memory (300 MB with the documented heap), while events keep
 * being written; the service keeps answering.
 */
class StreamMemoryTest {
  private static final int NON_READERS = 100;
  private static final int RUNS = 12_000;
  private static final double CEILING_MIB = 286; // 300 MB
  private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");

  @Test
  void clientsThatDoNotReadStayUnderTheMemoryCeiling() throws Exception {
    try (ServiceJar service = ServiceJar.start("stream-memory")) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      String workflow =
          post(
              http,
              service.url + "/v1/workflows",
              "{\"title\":\"memory\",\"workflow_engine\":\"none\",\"definition\":\"d\"}");
      URI url = URI.create(service.url);
      List<Socket> nonReaders = new ArrayList<>();
      AtomicLong peakKiB = new AtomicLong();
      ExecutorService writers = Executors.newFixedThreadPool(8);
      try {
        for (int i = 0; i < NON_READERS; i++) {
          Socket socket = new Socket();
          socket.setReceiveBufferSize(4096); // before connecting, so the window stays small
          socket.connect(new InetSocketAddress(url.getHost(), url.getPort()));
          socket
              .getOutputStream()
              .write(
                  ("GET /v1/events?after=0 HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
                      .getBytes(StandardCharsets.US_ASCII));
          nonReaders.add(socket);
        }
        List<Future<String>> created = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
          created.add(
              writers.submit(
                  () -> {
                    String body =
                        "{\"workflow\":{\"id\":\""
                            + workflow
                            + "\"},\"labels\":{\"kaapana.experiment\":\"memory\"}}";
                    String run = post(http, service.url + "/v1/workflow-runs", body);
                    peakKiB.accumulateAndGet((long) (service.rssMiB() * 1024), Math::max);
                    return run;
                  }));
        }
        for (Future<String> run : created) {
          run.get();
        }
        for (int i = 0; i < 20; i++) {
          peakKiB.accumulateAndGet((long) (service.rssMiB() * 1024), Math::max);
          Thread.sleep(100);
        }
      } finally {
        writers.shutdown();
        for (Socket socket : nonReaders) {
          socket.close();
        }
      }
      System.out.printf(
          "peak RSS with %d clients that do not read, %d runs written: %.1f MiB%n",
          NON_READERS, RUNS, peakKiB.get() / 1024.0);
      assertThat(peakKiB.get() / 1024.0)
          .as("peak resident memory (MiB) with %d clients that do not read", NON_READERS)
          .isLessThan(CEILING_MIB);
      HttpResponse<String> list =
          http.send(
              HttpRequest.newBuilder(URI.create(service.url + "/v1/workflow-runs?limit=1")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(list.statusCode()).isEqualTo(200);
    }
  }

  private static String post(HttpClient http, String url, String json) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
    Matcher id = ID.matcher(response.body());
    assertThat(id.find()).isTrue();
    return id.group(1);
  }
}
