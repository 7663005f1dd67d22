package io.kaapana.workflow.service.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaapana.workflow.service.rest.Links;
import io.kaapana.workflow.service.security.AuthSettings;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Serves the web console's entry points around its static files (META-INF/resources/ui): {@code /}
 * and {@code /ui} lead to {@code <public path>/ui/}, {@code /ui/config.json} tells the page how the
 * API is accessed, and every {@code /ui/} answer carries a content security policy that lets the
 * page load only this service's own scripts and talk only to this service (ADR 0038).
 */
@ApplicationScoped
public class ConsoleRoutes {
  /** Scripts, styles and data only from this origin; no inline script, no framing, no plugins. */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          + "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private final String consolePath;
  private final byte[] config;

  public ConsoleRoutes(Links links, AuthSettings auth, ObjectMapper mapper) throws Exception {
    this.consolePath = links.of("/ui/").toString();
    Map<String, Object> settings = new LinkedHashMap<>();
    if (auth.mode() == AuthSettings.Mode.TOKENS) {
      settings.put("auth", Map.of("issuer", auth.issuer().orElse("")));
    } else {
      settings.put("auth", null);
    }
    this.config = mapper.writeValueAsBytes(settings);
  }

  void install(@Observes Router router) {
    // A regular expression: Vert.x lets a plain "/ui" also match "/ui/".
    router.getWithRegex("^/(ui)?$").order(-50).handler(this::toConsole);
    router.get("/ui/config.json").order(-50).handler(this::config);
    router.route("/ui/*").order(-49).handler(this::secure);
  }

  private void toConsole(RoutingContext ctx) {
    ctx.response()
        .setStatusCode(302)
        .putHeader(HttpHeaders.LOCATION, consolePath)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end();
  }

  private void config(RoutingContext ctx) {
    secureHeaders(ctx);
    ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(io.vertx.core.buffer.Buffer.buffer(config));
  }

  private void secure(RoutingContext ctx) {
    secureHeaders(ctx);
    // Assets change with each release under the same names: revalidate instead of guessing.
    ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
    ctx.next();
  }

  private static void secureHeaders(RoutingContext ctx) {
    ctx.response().putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
  }
}
