package io.kaapana.workflow.service.rest;

import io.kaapana.workflow.service.rest.dto.CallerIdentity;
import io.kaapana.workflow.service.security.AccessRoles;
import io.kaapana.workflow.service.security.Callers;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Who the service takes the caller to be: the name it records, the roles it grants and the projects
 * whose runs the caller sees. Clients (the web console) use it to offer what the caller may do; the
 * service still decides every request on its own.
 */
@Path("/v1/caller")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Caller")
public class CallerResource {
  private final Callers callers;

  public CallerResource(Callers callers) {
    this.callers = callers;
  }

  @RolesAllowed({
    AccessRoles.USER,
    AccessRoles.ADAPTER,
    AccessRoles.WORKFLOW_DEVELOPER,
    AccessRoles.ADMIN
  })
  @GET
  @Operation(summary = "Who the service takes the caller to be (name, roles, projects)")
  public CallerIdentity get() {
    return CallerIdentity.of(callers.current());
  }
}
