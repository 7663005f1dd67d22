package io.kaapana.workflow.service.rest;

import io.kaapana.workflow.service.security.AccessRoles;
import io.kaapana.workflow.service.security.Caller;
import io.kaapana.workflow.service.security.Callers;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
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

  /** The caller as the service sees it. */
  @Schema(name = "CallerIdentity")
  public record CallerIdentity(
      @Schema(description = "The name events and the audit log record for this caller")
          String actor,
      @Schema(description = "The token's subject (local without an identity provider)")
          String subject,
      @Schema(description = "The client the token was issued to, if any") String clientId,
      @Schema(description = "The service's roles the caller holds, sorted") List<String> roles,
      @Schema(
              description =
                  "The projects whose runs the caller sees, sorted; null for every project")
          List<String> projects) {
    static CallerIdentity of(Caller caller) {
      return new CallerIdentity(
          caller.actor(),
          caller.subject(),
          caller.clientId(),
          List.copyOf(new TreeSet<>(caller.roles())),
          caller.projects().isAll() ? null : caller.projects().names());
    }
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
