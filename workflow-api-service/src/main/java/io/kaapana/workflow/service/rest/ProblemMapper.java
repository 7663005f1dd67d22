package io.kaapana.workflow.service.rest;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.kaapana.workflow.core.domain.ErrorCode;
import io.kaapana.workflow.core.domain.FieldError;
import io.kaapana.workflow.core.domain.FieldPath;
import io.kaapana.workflow.core.domain.ProblemDetails;
import io.kaapana.workflow.core.domain.WorkflowApiException;
import io.kaapana.workflow.service.ops.OperationsLog;
import io.kaapana.workflow.service.persistence.DatabaseFaults;
import io.kaapana.workflow.service.persistence.DatabaseReachability;
import io.kaapana.workflow.service.persistence.Jdbc;
import io.kaapana.workflow.service.security.AuthSettings;
import io.kaapana.workflow.service.security.Caller;
import io.kaapana.workflow.service.security.DeniedRequests;
import io.kaapana.workflow.service.security.IdentityProviderOutage;
import io.kaapana.workflow.service.security.Projects;
import io.quarkus.oidc.OIDCException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where failures become RFC 9457 problem documents. 4xx are logged at debug, 5xx at
 * error; no stack trace or internal message ever reaches a client.
 */
public class ProblemMapper {
  public static final String PROBLEM_JSON = "application/problem+json";
  private static final String TYPE_PREFIX = "urn:kaapana:workflow-api:problem:";
  private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

  private static final TypeReference<Map<String, Object>> EXTENSIONS = new TypeReference<>() {};

  @jakarta.inject.Inject AllowedMethods allowedMethods;
  @jakarta.inject.Inject ObjectMapper json;
  @jakarta.inject.Inject SecurityIdentity identity;
  @jakarta.inject.Inject AuthSettings settings;
  @jakarta.inject.Inject DeniedRequests denied;
  @jakarta.inject.Inject IdentityProviderOutage outage;
  @jakarta.inject.Inject DatabaseReachability database;

  /**
   * Refusals an operator wants to see (the others are the client's business, logged at DEBUG): a
   * report under a lease the adapter no longer holds, and an adapter or engine that failed.
   */
  private static final Map<String, Logger.Level> OPERATIONAL =
      Map.of(
          ErrorCode.LEASE_LOST.slug(), Logger.Level.INFO,
          ErrorCode.ENGINE_ERROR.slug(), Logger.Level.WARN,
          ErrorCode.ADAPTER_UNAVAILABLE.slug(), Logger.Level.WARN);

  /** What a problem document says of its kind: the core's error codes and the transport's. */
  record Kind(String slug, int status, boolean retryable) {
    static Kind of(ErrorCode code) {
      return new Kind(code.slug(), ProblemMapper.status(code), code.retryable());
    }

    static Kind of(TransportProblem problem) {
      return new Kind(problem.slug(), problem.status(), problem.retryable());
    }
  }

  @ServerExceptionMapper
  public Response domain(WorkflowApiException e, UriInfo uri) {
    return problem(
        e.code(),
        FieldPointers.detail(e.getMessage(), e.errors()),
        e.errors(),
        e.details().map(this::extensionMembers).orElse(Map.of()),
        uri,
        e);
  }

  /** A refusal's facts as problem members, named as the rest of the API's JSON (snake_case). */
  private Map<String, Object> extensionMembers(ProblemDetails details) {
    return json.convertValue(details, EXTENSIONS);
  }

  @ServerExceptionMapper
  public Response transport(TransportProblem.Refusal e, UriInfo uri) {
    return problem(Kind.of(e.problem()), e.getMessage(), List.of(), Map.of(), uri, e);
  }

  // Quarkus ships its own mappers for these subclasses; naming them here keeps ours in charge.
  @ServerExceptionMapper
  public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
    return json(e, uri);
  }

  @ServerExceptionMapper
  public Response unparsable(JsonParseException e, UriInfo uri) {
    return json(e, uri);
  }

  @ServerExceptionMapper
  public Response json(JsonProcessingException e, UriInfo uri) {
    FieldPath at = e instanceof JsonMappingException m ? path(m.getPath()) : FieldPath.REQUEST;
    String message;
    if (e instanceof UnrecognizedPropertyException u) {
      message = "unknown field '" + u.getPropertyName() + "'";
    } else if (e instanceof InvalidFormatException f
        && f.getTargetType() != null
        && f.getTargetType().isEnum()) {
      message =
          "'"
              + f.getValue()
              + "' is not one of "
              + Arrays.stream(f.getTargetType().getEnumConstants())
                  .map(String::valueOf)
                  .collect(Collectors.joining(", "));
    } else if (e instanceof MismatchedInputException m) {
      message =
          (m.getPath().isEmpty() ? "the body" : "this field")
              + " must be "
              + expected(m.getTargetType());
    } else {
      message = "the body is not valid JSON" + where(e) + ": " + parserSays(e.getOriginalMessage());
    }
    return problem(
        ErrorCode.MALFORMED_REQUEST,
        message,
        List.of(new FieldError(at, message)),
        Map.of(),
        uri,
        e);
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e, UriInfo uri) {
    if (e.getCause() instanceof JsonProcessingException json) {
      return json(json, uri);
    }
    int status = e.getResponse().getStatus();
    Kind kind;
    String detail;
    if (e instanceof NotFoundException) {
      kind = Kind.of(ErrorCode.NOT_FOUND);
      detail = "no resource at " + uri.getPath();
    } else if (e instanceof NotAllowedException) {
      kind = Kind.of(TransportProblem.METHOD_NOT_ALLOWED);
      detail = "method not allowed on " + uri.getPath();
    } else if (e instanceof NotSupportedException) {
      kind = Kind.of(TransportProblem.UNSUPPORTED_MEDIA_TYPE);
      detail = "send application/json";
    } else if (e instanceof NotAcceptableException) {
      kind = Kind.of(TransportProblem.NOT_ACCEPTABLE);
      detail = "this resource is available as application/json";
    } else if (status == 413) {
      kind = Kind.of(TransportProblem.PAYLOAD_TOO_LARGE);
      detail = "the body is too large";
    } else if (status >= 400 && status < 500) {
      kind = Kind.of(ErrorCode.MALFORMED_REQUEST);
      detail = "the request cannot be read";
    } else {
      kind = Kind.of(ErrorCode.INTERNAL_ERROR);
      detail = "internal error";
    }
    Response r = problem(kind, detail, List.of(), Map.of(), uri, e);
    String allow = e instanceof NotAllowedException ? allowedMethods.allowFor(uri.getPath()) : null;
    return allow == null ? r : Response.fromResponse(r).header("Allow", allow).build();
  }

  /** No token, or a request that needs one reached a resource without it. */
  @ServerExceptionMapper
  public Response unauthenticated(UnauthorizedException e, UriInfo uri, Request request) {
    return unauthorized(
        "this needs a bearer token (Authorization: Bearer <access token>)",
        "Bearer",
        "no token",
        uri,
        request);
  }

  /** A token that is not valid here: expired, signed by another key or issuer, another audience. */
  @ServerExceptionMapper
  public Response badToken(AuthenticationFailedException e, UriInfo uri, Request request) {
    LOG.debugf("token refused: %s", e.getMessage());
    return unauthorized(
        "the bearer token is not valid here: expired, not issued by this service's identity"
            + " provider, or not for this service (audience)",
        "Bearer error=\"invalid_token\"",
        "invalid token",
        uri,
        request);
  }

  /**
   * The identity provider could not be reached to check the token (quarkus-oidc fails the request
   * with this exception itself, not as the cause of a refused token): not the client's fault, and
   * worth a retry (503 with Retry-After).
   */
  @ServerExceptionMapper
  public Response identityProvider(OIDCException e, UriInfo uri) {
    outage.refusedBecause(e);
    return problem(
        Kind.of(TransportProblem.IDENTITY_PROVIDER_UNAVAILABLE),
        "the identity provider cannot be reached to check the token; retry later",
        List.of(),
        Map.of(),
        uri,
        null);
  }

  private Response unauthorized(
      String detail, String challenge, String why, UriInfo uri, Request request) {
    denied.log(401, request.getMethod(), uri.getPath(), "anonymous", why);
    Response r =
        problem(Kind.of(TransportProblem.UNAUTHORIZED), detail, List.of(), Map.of(), uri, null);
    return Response.fromResponse(r).header("WWW-Authenticate", challenge).build();
  }

  /** A valid token without a role the resource needs; the problem names the roles that would do. */
  @ServerExceptionMapper
  public Response forbidden(
      ForbiddenException e, UriInfo uri, Request request, ResourceInfo resource) {
    List<String> needed = neededRoles(resource);
    Caller caller = identity.getAttribute(Caller.class.getName());
    String detail =
        needed.isEmpty()
            ? "the token does not allow this"
            : "this needs the role "
                + needed.stream()
                    .map(role -> "'" + settings.tokenRoleFor(role) + "'")
                    .collect(Collectors.joining(" or "));
    denied.log(
        403,
        request.getMethod(),
        uri.getPath(),
        caller == null ? "anonymous" : caller.subject(),
        "needs " + needed);
    return problem(
        Kind.of(TransportProblem.FORBIDDEN),
        detail,
        List.of(),
        Map.of("required_roles", needed.stream().map(settings::tokenRoleFor).toList()),
        uri,
        null);
  }

  /** A project the caller is not a member of, named for a new run. */
  @ServerExceptionMapper
  public Response notMember(Projects.Refusal e, UriInfo uri, Request request) {
    Caller caller = identity.getAttribute(Caller.class.getName());
    denied.log(
        403,
        request.getMethod(),
        uri.getPath(),
        caller == null ? "anonymous" : caller.subject(),
        "not a member of the project");
    return problem(
        Kind.of(TransportProblem.FORBIDDEN), e.getMessage(), List.of(), Map.of(), uri, null);
  }

  private static List<String> neededRoles(ResourceInfo resource) {
    if (resource == null || resource.getResourceMethod() == null) {
      return List.of();
    }
    RolesAllowed allowed = resource.getResourceMethod().getAnnotation(RolesAllowed.class);
    if (allowed == null) {
      allowed = resource.getResourceClass().getAnnotation(RolesAllowed.class);
    }
    return allowed == null ? List.of() : List.of(allowed.value());
  }

  @ServerExceptionMapper
  public Response database(Jdbc.DatabaseException e, UriInfo uri) {
    String state = e.sqlState() == null ? "" : e.sqlState();
    if (state.startsWith("22")) {
      // A data exception: a value the request carried cannot be stored as given.
      return problem(
          ErrorCode.VALIDATION_FAILED,
          "a value in the request cannot be stored: numbers must lie within ±1e131071 and text"
              + " must not contain NUL characters",
          List.of(),
          Map.of(),
          uri,
          e);
    }
    if (databaseDown(e)) {
      return databaseUnavailable(e, uri);
    }
    return problem(ErrorCode.INTERNAL_ERROR, "internal error", List.of(), Map.of(), uri, e);
  }

  @ServerExceptionMapper
  public Response unexpected(Throwable e, UriInfo uri) {
    if (databaseDown(e)) {
      return databaseUnavailable(e, uri); // e.g. a commit or a pool wait that failed
    }
    return problem(ErrorCode.INTERNAL_ERROR, "internal error", List.of(), Map.of(), uri, e);
  }

  /**
   * The failure says the database is unavailable, or it came from the database layer without saying
   * why (a lost connection reported by the transaction manager without its cause) while the
   * database cannot be reached. Never checked on an I/O thread, where nothing may block.
   */
  private boolean databaseDown(Throwable e) {
    if (DatabaseFaults.isUnavailable(e)) {
      return true;
    }
    return DatabaseFaults.cameFromTheDatabase(e)
        && !io.vertx.core.Context.isOnEventLoopThread()
        && !database.reachable();
  }

  private static Response databaseUnavailable(Throwable e, UriInfo uri) {
    DatabaseFaults.warn(uri == null ? "a request" : uri.getPath(), e);
    return problem(
        ErrorCode.SERVICE_UNAVAILABLE,
        "the database is unavailable; retry later",
        List.of(),
        Map.of(),
        uri,
        null);
  }

  static int status(ErrorCode code) {
    return switch (code) {
      case MALFORMED_REQUEST, INVALID_QUERY, INVALID_LABEL_SELECTOR, INVALID_PAGE_TOKEN -> 400;
      case VALIDATION_FAILED, INVALID_PARAMETERS -> 422;
      case PRECONDITION_FAILED -> 412;
      case NOT_FOUND -> 404;
      case TITLE_TAKEN,
          WORKFLOW_ARCHIVED,
          WORKFLOW_NOT_ARCHIVED,
          WORKFLOW_HAS_ACTIVE_RUNS,
          DEFINITION_INVALID,
          INVALID_TRANSITION,
          NOT_SUPPORTED_BY_ENGINE,
          LEASE_LOST,
          ADAPTER_ID_TAKEN,
          IDEMPOTENCY_KEY_REUSED ->
          409;
      case ADAPTER_UNAVAILABLE, SERVICE_UNAVAILABLE -> 503;
      case ENGINE_ERROR -> 502;
      case INTERNAL_ERROR -> 500;
    };
  }

  static Response problem(
      ErrorCode code,
      String detail,
      List<FieldError> errors,
      Map<String, Object> extensions,
      UriInfo uri,
      Throwable cause) {
    return problem(Kind.of(code), detail, errors, extensions, uri, cause);
  }

  private static Response problem(
      Kind kind,
      String detail,
      List<FieldError> errors,
      Map<String, Object> extensions,
      UriInfo uri,
      Throwable cause) {
    int status = kind.status();
    Logger.Level operational = OPERATIONAL.get(kind.slug());
    if (status >= 500 && cause != null && kind.slug().equals(ErrorCode.INTERNAL_ERROR.slug())) {
      LOG.errorf(cause, "%s %s failed", uri == null ? "" : uri.getPath(), kind.slug());
    } else if (operational != null) {
      OperationsLog.now(
          operational,
          "request." + kind.slug(),
          OperationsLog.fields("path", uri == null ? "" : uri.getPath(), "detail", detail));
    } else {
      LOG.debugf("%s: %s", kind.slug(), detail);
    }
    Map<String, Object> body =
        body(kind, detail, uri == null ? null : uri.getRequestUri().getRawPath());
    if (!errors.isEmpty()) {
      List<Map<String, String>> list = new ArrayList<>();
      for (FieldError f : errors) {
        list.add(
            Map.of(
                "pointer", FieldPointers.pointer(f.path()), "message", FieldPointers.message(f)));
      }
      body.put("errors", list);
    }
    extensions.forEach(body::putIfAbsent);
    Response.ResponseBuilder r = Response.status(status).type(PROBLEM_JSON).entity(body);
    if (status == 503 || status == 429) {
      r.header("Retry-After", "5");
    }
    return r.build();
  }

  /** The members every problem document has. */
  static Map<String, Object> body(Kind kind, String detail, String instance) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", TYPE_PREFIX + kind.slug());
    body.put("title", title(kind.slug()));
    body.put("status", kind.status());
    body.put("detail", detail);
    if (instance != null) {
      body.put("instance", instance);
    }
    body.put("code", kind.slug());
    body.put("retryable", kind.retryable());
    return body;
  }

  private static String title(String slug) {
    String words = slug.replace('-', ' ').replace("uri ", "URI ");
    return Character.toUpperCase(words.charAt(0)) + words.substring(1);
  }

  /** Where Jackson stopped, in the names it read (the wire's). */
  private static FieldPath path(List<JsonMappingException.Reference> references) {
    FieldPath path = FieldPath.REQUEST;
    for (JsonMappingException.Reference ref : references) {
      if (ref.getFieldName() != null) {
        path = path.key(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path = path.index(ref.getIndex());
      }
    }
    return path;
  }

  /** What a JSON value of the target type looks like, without naming our classes. */
  private static String expected(Class<?> type) {
    if (type == null) {
      return "of another type";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "a whole number";
    }
    if (Number.class.isAssignableFrom(type)) {
      return "a number";
    }
    if (type.isEnum()) {
      return "one of "
          + Arrays.stream(type.getEnumConstants())
              .map(String::valueOf)
              .collect(Collectors.joining(", "));
    }
    if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
      return "an RFC 3339 timestamp such as 2026-11-26T17:00:00Z";
    }
    if (java.util.UUID.class == type) {
      return "a UUID";
    }
    if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "an array";
    }
    return "an object";
  }

  /** Where the parser stopped, as a reader of the body counts: " at line 1, column 7". */
  private static String where(JsonProcessingException e) {
    var location = e.getLocation();
    return location == null || location.getLineNr() < 1
        ? ""
        : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  /**
   * The parser's sentence without the parts that describe the parser (its source description and
   * feature names): what is wrong, not how the service reads.
   */
  private static String parserSays(String message) {
    String line = firstLine(message);
    for (String internal : List.of(" (start marker at", " at [Source:", "[Source:")) {
      int cut = line.indexOf(internal);
      if (cut >= 0) {
        line = line.substring(0, cut);
      }
    }
    return line.strip();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    String line = nl < 0 ? message : message.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) : line;
  }
}
