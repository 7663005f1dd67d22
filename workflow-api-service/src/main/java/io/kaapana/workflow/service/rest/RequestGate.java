package io.kaapana.workflow.service.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaapana.workflow.core.domain.ErrorCode;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses, before a body is read, what no resource should see: a body larger than the limit (with a
 * problem document; the HTTP layer's own 413 has an empty body), and a body without a {@code
 * Content-Type} (415: the resources would read it as JSON, and a browser sends such a request
 * cross-site without asking first).
 */
@ApplicationScoped
public class RequestGate {
  private final long maxBytes;
  private final long bodyTimeoutMillis;
  private final BodyHandler bodyReader;
  private final ObjectMapper mapper;

  public RequestGate(
      @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize,
      @ConfigProperty(name = "kaapana.http.body-timeout", defaultValue = "60s")
          Duration bodyTimeout,
      ObjectMapper mapper) {
    this.maxBytes = maxBodySize.asLongValue();
    this.bodyTimeoutMillis = bodyTimeout.toMillis();
    this.bodyReader = BodyHandler.create(false).setBodyLimit(maxBytes);
    this.mapper = mapper;
  }

  void install(@Observes Router router) {
    router.route().order(-100).handler(this::check).failureHandler(this::bodyFailed);
  }

  private void check(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String length = request.getHeader("Content-Length");
    if (length != null && tooLarge(length)) {
      refuse(
          ctx,
          ErrorCode.PAYLOAD_TOO_LARGE,
          "the body has " + length + " bytes; at most " + maxBytes + " are accepted",
          true);
      return;
    }
    boolean chunked = request.getHeader("Transfer-Encoding") != null;
    boolean hasBody = chunked || (length != null && !length.trim().equals("0"));
    if (!hasBody || !request.path().startsWith("/v1/")) {
      ctx.next();
      return;
    }
    HttpMethod method = request.method();
    if ((method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH)
        && request.getHeader("Content-Type") == null) {
      refuse(
          ctx,
          ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          "the body has no Content-Type: send it as application/json",
          true);
      return;
    }
    if (request.version() == HttpVersion.HTTP_2) {
      // Quarkus REST pauses every request it starts on, and an HTTP/2 request (also one upgraded
      // from h2c, as the JDK's HTTP client asks for) that has been read whole refuses that: its
      // body is read by the REST layer, with its own read timeout (see ADR 0024)
      ctx.next();
      return;
    }
    long timer =
        ctx.vertx()
            .setTimer(
                bodyTimeoutMillis,
                id -> {
                  if (!request.isEnded() && !ctx.response().headWritten()) {
                    refuse(
                        ctx,
                        ErrorCode.REQUEST_TIMEOUT,
                        "the body did not arrive within " + bodyTimeoutMillis / 1000 + " s",
                        true);
                  }
                });
    ctx.addEndHandler(done -> ctx.vertx().cancelTimer(timer));
    bodyReader.handle(ctx); // reads the body, then passes on; a chunked one over the limit fails
  }

  /**
   * A body that grew over the limit while it was read (one sent without a Content-Length), or a
   * client that left before its body arrived: nothing for the error handler to log.
   */
  private void bodyFailed(RoutingContext ctx) {
    if (ctx.failure() instanceof HttpClosedException || ctx.response().closed()) {
      return; // the client left: nobody to answer, nothing went wrong here
    }
    if (ctx.statusCode() == 413 && !ctx.response().headWritten()) {
      refuse(
          ctx, ErrorCode.PAYLOAD_TOO_LARGE, "the body has more than " + maxBytes + " bytes", true);
      return;
    }
    ctx.next();
  }

  /** Answers at once; {@code close}: the unread body stays unread, so the connection ends. */
  private void refuse(RoutingContext ctx, ErrorCode code, String detail, boolean close) {
    String body;
    try {
      body = mapper.writeValueAsString(ProblemMapper.body(code, detail, ctx.request().path()));
    } catch (JsonProcessingException e) {
      body = "{}";
    }
    var response =
        ctx.response()
            .setStatusCode(ProblemMapper.status(code))
            .putHeader("Content-Type", ProblemMapper.PROBLEM_JSON);
    if (close) {
      response.putHeader("Connection", "close");
      response.end(body).onComplete(done -> ctx.request().connection().close());
    } else {
      response.end(body);
    }
  }

  private boolean tooLarge(String length) {
    try {
      return Long.parseLong(length.trim()) > maxBytes;
    } catch (NumberFormatException e) {
      return false; // the HTTP layer rejects a malformed length itself
    }
  }
}
