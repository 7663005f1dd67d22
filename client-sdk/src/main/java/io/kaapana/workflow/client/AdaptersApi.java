package io.kaapana.workflow.client;

import com.fasterxml.jackson.databind.JavaType;
import io.kaapana.workflow.client.model.Adapter;
import io.kaapana.workflow.client.model.AdapterRegistration;
import io.kaapana.workflow.client.model.Claim;
import io.kaapana.workflow.client.model.ClaimRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The adapter role: register (and heartbeat), claim work, shut down cleanly. */
public final class AdaptersApi {
  private static final JavaType LIST =
      HttpTransport.JSON.getTypeFactory().constructCollectionType(List.class, Adapter.class);

  private final HttpTransport transport;

  AdaptersApi(HttpTransport transport) {
    this.transport = transport;
  }

  /** Registers or updates the adapter; repeating it is the heartbeat. */
  public Adapter register(String adapterId, AdapterRegistration registration) {
    return transport
        .call(HttpTransport.Call.send("PUT", path(adapterId), registration, true), Adapter.class)
        .body();
  }

  public List<Adapter> list() {
    return transport
        .<List<Adapter>>call(HttpTransport.Call.get("/v1/adapters", Map.of()), LIST)
        .body();
  }

  /** Unregisters at a clean shutdown: the runs it held are released at once. */
  public void deregister(String adapterId) {
    transport.call(HttpTransport.Call.delete(path(adapterId)), Void.class);
  }

  /**
   * Long-polls for work (up to {@code request.waitSeconds()}). Not re-sent by the client: a lost
   * answer's runs come back to this adapter in its next claim, with the same lease token.
   */
  public Claim claim(String adapterId, ClaimRequest request) {
    HttpTransport.Call call =
        HttpTransport.Call.send("POST", path(adapterId) + "/claims", request, false)
            .withTimeout(transport.requestTimeout.plus(Duration.ofSeconds(request.waitSeconds())));
    return transport.call(call, Claim.class).body();
  }

  private static String path(String adapterId) {
    return "/v1/adapters/" + HttpTransport.segment(adapterId);
  }
}
