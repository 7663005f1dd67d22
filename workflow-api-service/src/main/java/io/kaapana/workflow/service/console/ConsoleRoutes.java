package io.kaapana.workflow.service.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaapana.workflow.service.rest.Links;
import io.kaapana.workflow.service.security.AuthSettings;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Serves the web console's entry points around its static files (META-INF/resources/ui): {@code /}
 * and {@code /ui} lead to {@code <public path>/ui/}, {@code /ui/config.json} tells the page how the
 * API is accessed, and every {@code /ui/} answer carries a content security policy that lets the
 * page load only this service's own scripts and talk only to this service (ADR 0038).
 */
@ApplicationScoped
public class ConsoleRoutes {
  private final String consolePath;
  private final String contentSecurityPolicy;
  private final byte[] config;

  public ConsoleRoutes(
      Links links,
      AuthSettings auth,
      ObjectMapper mapper,
      @ConfigProperty(name = "kaapana.console.client-id", defaultValue = "workflow-console")
          String clientId,
      @ConfigProperty(name = "kaapana.console.scope", defaultValue = "openid") String scope,
      @ConfigProperty(name = "kaapana.console.issuer") Optional<String> browserIssuer)
      throws Exception {
    this.consolePath = links.of("/ui/").toString();
    Map<String, Object> settings = new LinkedHashMap<>();
    String identityProvider = "";
    if (auth.mode() == AuthSettings.Mode.TOKENS) {
      // The issuer as browsers reach it, when the service reaches it under another address.
      String issuer = browserIssuer.filter(s -> !s.isBlank()).orElse(auth.issuer().orElseThrow());
      Map<String, Object> signIn = new LinkedHashMap<>();
      signIn.put("issuer", issuer);
      signIn.put("client_id", clientId);
      signIn.put("scope", scope);
      settings.put("auth", signIn);
      identityProvider = " " + origin(issuer);
    } else {
      settings.put("auth", null);
    }
    this.config = mapper.writeValueAsBytes(settings);
    // Scripts, styles and data only from this origin (and the identity provider's discovery and
    // token endpoints when signing in); no inline script, no framing, no plugins.
    this.contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'"
            + identityProvider
            + "; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  }

  /** scheme://host[:port] of a URL. */
  static String origin(String url) {
    URI uri = URI.create(url);
    return uri.getScheme() + "://" + uri.getRawAuthority();
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

  private void secureHeaders(RoutingContext ctx) {
    ctx.response().putHeader("Content-Security-Policy", contentSecurityPolicy);
  }
}
