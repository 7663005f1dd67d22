package io.kaapana.workflow.service.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * {@code OPTIONS} on an API path answers the methods that path takes, from the same table as the
 * {@code Allow} of a 405 ({@link AllowedMethods}): the REST layer's own answer lists every method
 * of the resource class, for example {@code DELETE} and {@code PATCH} on {@code /v1/workflows},
 * which would then be refused.
 */
public class OptionsAnswer {
  private final AllowedMethods allowedMethods;

  public OptionsAnswer(AllowedMethods allowedMethods) {
    this.allowedMethods = allowedMethods;
  }

  @ServerRequestFilter(preMatching = true)
  public Response answerOptions(ContainerRequestContext request) {
    if (!"OPTIONS".equals(request.getMethod())) {
      return null;
    }
    String allow = allowedMethods.allowFor(request.getUriInfo().getPath());
    return allow == null ? null : Response.ok().header("Allow", allow).build();
  }
}
