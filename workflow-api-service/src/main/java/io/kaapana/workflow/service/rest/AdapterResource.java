package io.kaapana.workflow.service.rest;

import io.kaapana.workflow.core.domain.Adapter;
import io.kaapana.workflow.core.domain.AdapterRegistration;
import io.kaapana.workflow.core.domain.Claim;
import io.kaapana.workflow.core.domain.ErrorCode;
import io.kaapana.workflow.core.domain.FieldError;
import io.kaapana.workflow.core.domain.FieldPath;
import io.kaapana.workflow.core.domain.LabelSelector;
import io.kaapana.workflow.core.domain.WorkflowApiException;
import io.kaapana.workflow.core.port.in.AdapterCommands;
import io.kaapana.workflow.core.port.in.RunCommands;
import io.kaapana.workflow.core.port.in.WorkflowCommands;
import io.kaapana.workflow.service.claims.ClaimWaits;
import io.kaapana.workflow.service.ops.ClaimTracing;
import io.kaapana.workflow.service.rest.dto.AdapterDtos.AdapterDto;
import io.kaapana.workflow.service.rest.dto.AdapterDtos.ClaimRequest;
import io.kaapana.workflow.service.rest.dto.AdapterDtos.ClaimResponse;
import io.kaapana.workflow.service.rest.dto.AdapterDtos.ClaimedRunDto;
import io.kaapana.workflow.service.rest.dto.AdapterDtos.RegisterAdapterRequest;
import io.kaapana.workflow.service.rest.dto.RunDtos.ActionRequestDto;
import io.kaapana.workflow.service.rest.dto.RunDtos.RunDto;
import io.kaapana.workflow.service.rest.dto.WorkflowDtos.RevisionDto;
import io.kaapana.workflow.service.security.AccessRoles;
import io.kaapana.workflow.service.security.AdapterEndpoints;
import io.kaapana.workflow.service.security.Caller;
import io.kaapana.workflow.service.security.Callers;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The endpoints engine adapters call (role {@code adapter}); {@code GET /v1/adapters} is for
 * everyone.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Adapters")
public class AdapterResource {
  private static final Pattern ADAPTER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern ENGINE = Pattern.compile("[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?");

  private final AdapterCommands adapters;
  private final ClaimWaits claims;
  private final RunCommands runs;
  private final WorkflowCommands workflows;
  private final Tx tx;
  private final int defaultLeaseSeconds;
  private final AdapterEndpoints endpoints;
  private final Callers callers;
  private final ClaimTracing claimTracing;

  public AdapterResource(
      AdapterCommands adapters,
      ClaimWaits claims,
      RunCommands runs,
      WorkflowCommands workflows,
      Tx tx,
      @ConfigProperty(name = "kaapana.adapters.lease-seconds", defaultValue = "30")
          int defaultLeaseSeconds,
      AdapterEndpoints endpoints,
      Callers callers,
      ClaimTracing claimTracing) {
    this.adapters = adapters;
    this.claims = claims;
    this.runs = runs;
    this.workflows = workflows;
    this.tx = tx;
    this.defaultLeaseSeconds = defaultLeaseSeconds;
    this.endpoints = endpoints;
    this.callers = callers;
    this.claimTracing = claimTracing;
  }

  @RolesAllowed({AccessRoles.ADAPTER, AccessRoles.ADMIN})
  @PUT
  @Path("adapters/{adapterId}")
  @Operation(summary = "Register or update an adapter; doubles as its heartbeat")
  public AdapterDto register(
      @PathParam("adapterId") String adapterId, RegisterAdapterRequest body) {
    Http.requireBody(body);
    List<FieldError> errors = new ArrayList<>();
    if (!ADAPTER_ID.matcher(adapterId).matches()) {
      errors.add(
          new FieldError(
              FieldPath.REQUEST,
              "adapter id must be 1 to 128 characters of [A-Za-z0-9._-], starting with a letter or digit"));
    }
    if (body.workflowEngine() == null || !ENGINE.matcher(body.workflowEngine()).matches()) {
      errors.add(
          new FieldError(
              FieldPointers.at("workflow_engine"),
              "workflow_engine must be 1 to 63 lower-case letters, digits, '.', '_' or '-'"));
    }
    String selector = body.labelSelector() == null ? "" : body.labelSelector();
    try {
      selector = LabelSelector.parse(selector).toString();
    } catch (WorkflowApiException e) {
      errors.add(new FieldError(FieldPointers.at("label_selector"), e.getMessage()));
    }
    if (body.endpointUrl() != null && !isHttpUrl(body.endpointUrl())) {
      errors.add(
          new FieldError(
              FieldPointers.at("endpoint_url"),
              "endpoint_url must be an absolute http or https URL"));
    } else if (body.endpointUrl() != null && !endpoints.allows(URI.create(body.endpointUrl()))) {
      errors.add(
          new FieldError(
              FieldPointers.at("endpoint_url"),
              "endpoint_url must be on a host the service may call (kaapana.adapters.endpoint-allow: "
                  + endpoints.setting()
                  + ")"));
    }
    int lease = body.leaseSeconds() == null ? defaultLeaseSeconds : body.leaseSeconds();
    if (lease < 2 || lease > 600) {
      errors.add(
          new FieldError(FieldPointers.at("lease_seconds"), "lease_seconds must be from 2 to 600"));
    }
    if (!errors.isEmpty()) {
      throw WorkflowApiException.invalid(ErrorCode.VALIDATION_FAILED, errors);
    }
    String normalizedSelector = selector;
    AdapterRegistration wanted =
        new AdapterRegistration(
            adapterId,
            body.workflowEngine(),
            normalizedSelector,
            body.capabilities() == null ? Set.of() : body.capabilities(),
            body.endpointUrl(),
            body.version(),
            lease,
            callers.current().subject());
    return AdapterDto.of(tx.write(() -> adapters.register(wanted, callers.current().actor())));
  }

  @RolesAllowed({
    AccessRoles.USER,
    AccessRoles.ADAPTER,
    AccessRoles.WORKFLOW_DEVELOPER,
    AccessRoles.ADMIN
  })
  @GET
  @Path("adapters")
  @Operation(summary = "List adapters and their health")
  public List<AdapterDto> list() {
    return adapters.list().stream().map(AdapterDto::of).toList();
  }

  @RolesAllowed({AccessRoles.ADAPTER, AccessRoles.ADMIN})
  @DELETE
  @Path("adapters/{adapterId}")
  @Operation(summary = "Clean shutdown of an adapter: releases its runs at once")
  @APIResponse(responseCode = "204", description = "Removed; its runs are free to claim")
  public Response deregister(@PathParam("adapterId") String adapterId) {
    checkOwner(adapterId);
    boolean removed = tx.write(() -> adapters.deregister(adapterId, callers.current().actor()));
    if (!removed) {
      throw WorkflowApiException.notFound("adapter " + adapterId);
    }
    return Response.noContent().build();
  }

  @RolesAllowed({AccessRoles.ADAPTER, AccessRoles.ADMIN})
  @POST
  @Path("adapters/{adapterId}/claims")
  @Operation(
      summary = "Long-poll for work: new and freed runs, requested actions, revisions to validate")
  @Blocking // only to read the body (already in memory, see RequestGate); the wait holds no thread
  public Uni<ClaimResponse> claim(
      @PathParam("adapterId") String adapterId,
      ClaimRequest body,
      @Context RoutingContext routing) {
    int limit = body == null || body.limit() == null ? 10 : body.limit();
    int wait = body == null || body.waitSeconds() == null ? 0 : body.waitSeconds();
    List<FieldError> errors = new ArrayList<>();
    if (limit < 1 || limit > 100) {
      errors.add(new FieldError(FieldPointers.at("limit"), "limit must be from 1 to 100"));
    }
    if (wait < 0 || wait > 60) {
      errors.add(
          new FieldError(FieldPointers.at("wait_seconds"), "wait_seconds must be from 0 to 60"));
    }
    if (!errors.isEmpty()) {
      throw WorkflowApiException.invalid(ErrorCode.VALIDATION_FAILED, errors);
    }
    checkOwner(adapterId);
    return Uni.createFrom()
        .completionStage(claims.claim(adapterId, limit, wait, routing))
        .flatMap(
            claim ->
                Uni.createFrom()
                    .completionStage(claimTracing.traceParents(adapterId, claim))
                    .map(traceParents -> answer(claim, traceParents)));
  }

  private static ClaimResponse answer(Claim claim, Map<UUID, String> traceParents) {
    return new ClaimResponse(
        claim.runs().stream()
            .map(
                c ->
                    new ClaimedRunDto(
                        RunDto.of(c.run()),
                        c.leaseToken(),
                        c.leaseExpiresAt(),
                        ActionRequestDto.of(c.run().actionRequest()),
                        traceParents.get(c.run().id())))
            .toList(),
        claim.revisions().stream().map(RevisionDto::of).toList());
  }

  private static boolean isHttpUrl(String value) {
    try {
      URI uri = URI.create(value);
      return uri.isAbsolute()
          && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Only the client that registered an adapter (or an admin) uses or removes it. */
  private void checkOwner(String adapterId) {
    Caller caller = callers.current();
    adapters
        .find(adapterId)
        .filter(a -> a.registeredBy() != null && !a.registeredBy(caller.subject()))
        .filter(a -> !caller.has(AccessRoles.ADMIN))
        .ifPresent(
            a -> {
              throw Adapter.idTaken(adapterId);
            });
  }
}
