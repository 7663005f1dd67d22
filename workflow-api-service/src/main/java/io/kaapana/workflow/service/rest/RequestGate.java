package io.kaapana.workflow.service.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses, before a body is read, what no resource should see, each with a problem document (the
 * HTTP layer's own answers have empty bodies): a URL or a header section over the documented limits
 * (414, 431), a body larger than the limit (413), and a body without a {@code Content-Type} (415:
 * the resources would read it as JSON, and a browser sends such a request cross-site without asking
 * first). Then it reads a {@code /v1} body whole without a worker thread (ADR 0024).
 */
@ApplicationScoped
public class RequestGate {
  /**
   * Longest URL (path and query) answered; longer ones get 414. The HTTP decoder's own limit
   * ({@code quarkus.http.limits.max-initial-line-length}) is set four times higher, so that only a
   * request line beyond it gets the decoder's bare 414.
   */
  public static final int MAX_URI_LENGTH = 16_384;

  /**
   * Largest header section answered (names, values and their separators); larger ones get 431. The
   * decoder's own limit ({@code quarkus.http.limits.max-header-size}) is set higher, as above.
   */
  public static final int MAX_HEADER_BYTES = 20 * 1024;

  /** Where a request keeps its body timer, which {@link #bodyArrived} cancels. */
  private static final String BODY_TIMER = "kaapana.body-timer";

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
    // The body reader passes a request on once its body is whole: that ends the body's timer.
    // (The request's isEnded() cannot say so: it stayed false after the body was read, and a
    // claim that waited longer than the timeout was answered 408 in the middle of its wait.)
    router.route().order(-99).handler(RequestGate::bodyArrived);
  }

  private static void bodyArrived(RoutingContext ctx) {
    Long timer = ctx.get(BODY_TIMER);
    if (timer != null) {
      ctx.vertx().cancelTimer(timer);
    }
    ctx.next();
  }

  private void check(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (request.uri().length() > MAX_URI_LENGTH) {
      refuse(
          ctx,
          TransportProblem.URI_TOO_LONG,
          "the URL has "
              + request.uri().length()
              + " characters; at most "
              + MAX_URI_LENGTH
              + " are accepted (send long selectors in fewer, shorter parameters)",
          true);
      return;
    }
    int headerBytes = headerBytes(request);
    if (headerBytes > MAX_HEADER_BYTES) {
      refuse(
          ctx,
          TransportProblem.HEADERS_TOO_LARGE,
          "the headers have "
              + headerBytes
              + " bytes; at most "
              + MAX_HEADER_BYTES
              + " are accepted",
          true);
      return;
    }
    String length = request.getHeader("Content-Length");
    if (length != null && tooLarge(length)) {
      refuse(
          ctx,
          TransportProblem.PAYLOAD_TOO_LARGE,
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
          TransportProblem.UNSUPPORTED_MEDIA_TYPE,
          "the body has no Content-Type: send it as application/json",
          true);
      return;
    }
    long timer =
        ctx.vertx()
            .setTimer(
                bodyTimeoutMillis,
                id -> {
                  if (!ctx.response().headWritten()) {
                    refuse(
                        ctx,
                        TransportProblem.REQUEST_TIMEOUT,
                        "the body did not arrive within " + bodyTimeoutMillis / 1000 + " s",
                        true);
                  }
                });
    ctx.put(BODY_TIMER, timer);
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
          ctx,
          TransportProblem.PAYLOAD_TOO_LARGE,
          "the body has more than " + maxBytes + " bytes",
          true);
      return;
    }
    ctx.next();
  }

  /** Answers at once; {@code close}: the unread body stays unread, so the connection ends. */
  private void refuse(RoutingContext ctx, TransportProblem code, String detail, boolean close) {
    String body;
    try {
      // a URL that is too long is not repeated back
      String instance = code == TransportProblem.URI_TOO_LONG ? null : ctx.request().path();
      body =
          mapper.writeValueAsString(
              ProblemMapper.body(ProblemMapper.Kind.of(code), detail, instance));
    } catch (JsonProcessingException e) {
      body = "{}";
    }
    var response =
        ctx.response()
            .setStatusCode(code.status())
            .putHeader("Content-Type", ProblemMapper.PROBLEM_JSON);
    if (close) {
      response.putHeader("Connection", "close");
      response.end(body).onComplete(done -> ctx.request().connection().close());
    } else {
      response.end(body);
    }
  }

  /** As the HTTP decoder counts them: each header line without its line break. */
  private static int headerBytes(HttpServerRequest request) {
    int bytes = 0;
    for (Map.Entry<String, String> header : request.headers()) {
      bytes += header.getKey().length() + 2 + header.getValue().length();
    }
    return bytes;
  }

  private boolean tooLarge(String length) {
    try {
      return Long.parseLong(length.trim()) > maxBytes;
    } catch (NumberFormatException e) {
      return false; // the HTTP layer rejects a malformed length itself
    }
  }
}
