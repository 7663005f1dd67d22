package io.kaapana.workflow.service.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaapana.workflow.service.Api;
import io.kaapana.workflow.service.EmbeddedPostgresResource;
import io.kaapana.workflow.service.SseClient;
import io.kaapana.workflow.service.persistence.EventQueries;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.OutboundSseEvent;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.jboss.resteasy.reactive.server.jaxrs.SseImpl;
import org.junit.jupiter.api.Test;

/** The limits of live streams, with small values so that a test reaches them quickly. */
@QuarkusTest
@TestProfile(StreamLimitsTest.SmallLimits.class)
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class StreamLimitsTest {
  public static class SmallLimits implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "kaapana.streams.max-concurrent", "3",
          "kaapana.streams.window-events", "20",
          "kaapana.streams.keep-alive", "1s",
          "kaapana.streams.stall-timeout", "2s");
    }
  }

  @TestHTTPResource("/")
  URI base;

  @Inject EventHub hub;
  @Inject StreamWork work;
  @Inject StreamSlots slots;
  @Inject StreamSettings settings;
  @Inject Vertx vertx;

  @Test
  void overTheLimitAStreamIsRefusedWith429UntilAPlaceIsFree() throws Exception {
    List<SseClient> open = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        SseClient client = SseClient.open(base, "/v1/events");
        assertThat(client.readHead()).isEqualTo(200);
        open.add(client);
      }
      try (SseClient refused = SseClient.open(base, "/v1/events")) {
        String head = refused.readUntil("\r\n\r\n");
        assertThat(head).startsWith("HTTP/1.1 429").contains("Retry-After: 5");
        assertThat(refused.readUntil("}")).contains("\"code\":\"too-many-streams\"");
      }
      open.remove(0).close();
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> slots.open() == 2);
      try (SseClient admitted = SseClient.open(base, "/v1/events")) {
        assertThat(admitted.readHead()).isEqualTo(200);
      }
    } finally {
      for (SseClient client : open) {
        client.close();
      }
    }
  }

  @Test
  void anIdleStreamGetsKeepAliveComments() throws Exception {
    try (SseClient client = SseClient.open(base, "/v1/events?object_type=adapter")) {
      assertThat(client.readHead()).isEqualTo(200);
      client.awaitOpen();
      assertThat(client.readUntil(":keep-alive")).endsWith(":keep-alive");
    }
  }

  /** A subscriber as the HTTP layer is one, that takes frames only when the test says so. */
  private static final class TestSubscriber implements Flow.Subscriber<OutboundSseEvent> {
    final List<OutboundSseEvent> frames = new CopyOnWriteArrayList<>();
    volatile Flow.Subscription subscription;

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
    }

    @Override
    public void onNext(OutboundSseEvent item) {
      frames.add(item);
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onComplete() {}
  }

  private EventStream stream(long from, AtomicBoolean disconnected) {
    return new EventStream(
        hub,
        work,
        new EventQueries.Filter(null, null, null, null, null),
        from,
        SseImpl.INSTANCE,
        vertx.getOrCreateContext(),
        () -> disconnected.set(true),
        slots.acquire(),
        settings);
  }

  @Test
  void aClientThatFallsOutOfTheWindowIsDisconnected() {
    AtomicBoolean disconnected = new AtomicBoolean();
    TestSubscriber client = new TestSubscriber();
    stream(hub.latestSeq(), disconnected).subscribe(client);
    Awaitility.await().until(() -> client.subscription != null);
    client.subscription.request(2); // the preamble and one event
    String workflowId = Api.createWorkflow(Api.unique("wf"), Api.unique("eng"));
    Awaitility.await().until(() -> client.frames.size() == 2);
    // it reads slowly (a frame every 400 ms, so it is not stalled) while 40 events arrive
    for (int i = 0; i < 20; i++) {
      Api.createRunId(workflowId, Map.of());
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(400))
        .until(
            () -> {
              client.subscription.request(1);
              return disconnected.get();
            });
    assertThat(client.frames.size()).isLessThan(40);
  }

  @Test
  void aClientThatReadsNothingIsDisconnectedAfterTheStallTimeout() {
    AtomicBoolean disconnected = new AtomicBoolean();
    TestSubscriber client = new TestSubscriber();
    stream(0, disconnected).subscribe(client);
    Awaitility.await().until(() -> client.subscription != null);
    client.subscription.request(1); // the preamble, then nothing more
    Awaitility.await().pollDelay(Duration.ofMillis(1500)).until(() -> true);
    assertThat(disconnected).isFalse();
    Awaitility.await().atMost(Duration.ofSeconds(10)).untilTrue(disconnected);
    Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> slots.open() == 0);
  }
}
