package io.kaapana.workflow.service.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The event list and a task log each have two representations, served by different resource
 * methods: a JSON page, and a Server-Sent Events stream. The stream is chosen only when asked for —
 * {@code Accept: text/event-stream}, or {@code follow=true} on a task log; anything else ({@code
 * Accept: *}{@code /*} as curl sends, no {@code Accept} at all) gets the JSON page. The header is
 * set before a method is chosen, because the REST layer's choice between two methods that both
 * match {@code *}{@code /*} is not the one clients expect.
 */
public class FollowAsStream {
  @ServerRequestFilter(preMatching = true)
  public void chooseRepresentation(ContainerRequestContext request) {
    if (!"GET".equals(request.getMethod())) {
      return;
    }
    String path = request.getUriInfo().getPath();
    boolean log = path.endsWith("/logs");
    if (!log && !path.equals("/v1/events")) {
      return;
    }
    String accept = request.getHeaderString(HttpHeaders.ACCEPT);
    boolean follow =
        log && "true".equals(request.getUriInfo().getQueryParameters().getFirst("follow"));
    if (follow || (accept != null && accept.contains(MediaType.SERVER_SENT_EVENTS))) {
      request.getHeaders().putSingle(HttpHeaders.ACCEPT, MediaType.SERVER_SENT_EVENTS);
    } else {
      request.getHeaders().putSingle(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON);
    }
  }
}
