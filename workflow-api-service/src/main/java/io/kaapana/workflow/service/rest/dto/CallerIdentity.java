package io.kaapana.workflow.service.rest.dto;

import io.kaapana.workflow.service.security.Caller;
import java.util.List;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The caller as the service sees it. */
@Schema(name = "CallerIdentity")
public record CallerIdentity(
    @Schema(description = "The name events and the audit log record for this caller") String actor,
    @Schema(description = "The token's subject (local without an identity provider)")
        String subject,
    @Schema(description = "The client the token was issued to, if any") String clientId,
    @Schema(description = "The service's roles the caller holds, sorted") List<String> roles,
    @Schema(description = "The projects whose runs the caller sees, sorted; null for every project")
        List<String> projects) {
  public static CallerIdentity of(Caller caller) {
    return new CallerIdentity(
        caller.actor(),
        caller.subject(),
        caller.clientId(),
        List.copyOf(new TreeSet<>(caller.roles())),
        caller.projects().isAll() ? null : caller.projects().names());
  }
}
