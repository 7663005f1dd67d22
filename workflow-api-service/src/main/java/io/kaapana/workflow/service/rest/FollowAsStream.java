package io.kaapana.workflow.service.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * {@code follow=true} on a task log asks for the Server-Sent Events representation, as {@code
 * Accept: text/event-stream} does; the two are served by different resource methods, so the query
 * parameter is turned into the header before a method is chosen.
 */
public class FollowAsStream {
  @ServerRequestFilter(preMatching = true)
  public void followMeansEventStream(ContainerRequestContext request) {
    if (!"GET".equals(request.getMethod())
        || !request.getUriInfo().getPath().endsWith("/logs")
        || !"true".equals(request.getUriInfo().getQueryParameters().getFirst("follow"))) {
      return;
    }
    request.getHeaders().putSingle(HttpHeaders.ACCEPT, MediaType.SERVER_SENT_EVENTS);
  }
}
