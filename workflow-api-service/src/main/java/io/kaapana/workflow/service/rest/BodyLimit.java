package io.kaapana.workflow.service.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaapana.workflow.core.domain.ErrorCode;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses an oversized body with a problem document before it is read. Without this, the HTTP
 * layer's own limit answers 413 with an empty body; bodies sent without a Content-Length still get
 * that bare 413.
 */
@ApplicationScoped
public class BodyLimit {
  private final long maxBytes;
  private final ObjectMapper mapper;

  public BodyLimit(
      @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize,
      ObjectMapper mapper) {
    this.maxBytes = maxBodySize.asLongValue();
    this.mapper = mapper;
  }

  void install(@Observes Router router) {
    router
        .route()
        .order(-100)
        .handler(
            ctx -> {
              String length = ctx.request().getHeader("Content-Length");
              if (length != null && tooLarge(length)) {
                String body;
                try {
                  body =
                      mapper.writeValueAsString(
                          ProblemMapper.body(
                              ErrorCode.PAYLOAD_TOO_LARGE,
                              "the body has "
                                  + length
                                  + " bytes; at most "
                                  + maxBytes
                                  + " are accepted",
                              ctx.request().path()));
                } catch (JsonProcessingException e) {
                  body = "{}";
                }
                ctx.response()
                    .setStatusCode(413)
                    .putHeader("Content-Type", ProblemMapper.PROBLEM_JSON)
                    .putHeader("Connection", "close")
                    .end(body);
                return;
              }
              ctx.next();
            });
  }

  private boolean tooLarge(String length) {
    try {
      return Long.parseLong(length.trim()) > maxBytes;
    } catch (NumberFormatException e) {
      return false; // the HTTP layer rejects a malformed length itself
    }
  }
}
