package io.kaapana.workflow.service.rest;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Links the service hands out (Location headers). Kaapana serves the API under {@code
 * /workflow-api} behind its reverse proxy, which strips that prefix; {@code
 * kaapana.http.public-path} puts it back into links. Quarkus' own root path is fixed at build time,
 * so it cannot serve this purpose.
 */
@ApplicationScoped
public class Links {
  private final String publicPath;

  public Links(
      @ConfigProperty(name = "kaapana.http.public-path", defaultValue = "/") String publicPath) {
    String trimmed =
        publicPath.endsWith("/") ? publicPath.substring(0, publicPath.length() - 1) : publicPath;
    this.publicPath = trimmed.isEmpty() || trimmed.startsWith("/") ? trimmed : "/" + trimmed;
  }

  /** An absolute-path reference; JAX-RS completes scheme and host from the request. */
  public URI of(String apiPath) {
    return URI.create(publicPath + apiPath);
  }
}
