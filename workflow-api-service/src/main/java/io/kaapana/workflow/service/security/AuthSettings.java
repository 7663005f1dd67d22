package io.kaapana.workflow.service.security;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * How callers are authenticated and what their tokens mean, from the environment ({@code
 * KAAPANA_AUTH_*}; docs/security.md lists every key). The token check itself (signature by the
 * issuer's keys, issuer, audience, expiry) is quarkus-oidc's, configured from the same keys in
 * application.properties.
 */
@ApplicationScoped
public class AuthSettings {
  /** How this service decides who calls it. */
  public enum Mode {
    /** Bearer tokens of {@code KAAPANA_AUTH_ISSUER}, checked on every API request. */
    TOKENS,
    /** No identity provider; allowed on loopback only: every caller is the local operator. */
    LOCAL,
    /** No identity provider on a reachable interface, because {@code KAAPANA_AUTH=disabled}. */
    DISABLED
  }

  private final Optional<String> issuer;
  private final Optional<String> override;
  private final String clientId;
  private final Optional<List<String>> roleClaims;
  private final String userRole;
  private final String adapterRole;
  private final String adminRole;
  private final String developerRole;
  private final String projectsClaim;
  private final String projectGroupPrefix;
  private final String defaultProject;

  public AuthSettings(
      @ConfigProperty(name = "kaapana.auth.issuer") Optional<String> issuer,
      @ConfigProperty(name = "kaapana.auth") Optional<String> override,
      @ConfigProperty(name = "kaapana.auth.client-id", defaultValue = "workflow-api")
          String clientId,
      @ConfigProperty(name = "kaapana.auth.role-claims") Optional<List<String>> roleClaims,
      @ConfigProperty(name = "kaapana.auth.roles.user", defaultValue = "user") String userRole,
      @ConfigProperty(name = "kaapana.auth.roles.adapter", defaultValue = "adapter")
          String adapterRole,
      @ConfigProperty(name = "kaapana.auth.roles.admin", defaultValue = "admin") String adminRole,
      @ConfigProperty(
              name = "kaapana.auth.roles.workflow-developer",
              defaultValue = "workflow-developer")
          String developerRole,
      @ConfigProperty(name = "kaapana.auth.projects-claim", defaultValue = "projects")
          String projectsClaim,
      @ConfigProperty(name = "kaapana.auth.project-group-prefix", defaultValue = "/projects/")
          String projectGroupPrefix,
      @ConfigProperty(name = "kaapana.auth.default-project", defaultValue = "default")
          String defaultProject) {
    this.issuer = issuer.map(String::trim).filter(s -> !s.isEmpty());
    this.override = override.map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty());
    this.clientId = clientId;
    this.roleClaims = roleClaims;
    this.userRole = userRole;
    this.adapterRole = adapterRole;
    this.adminRole = adminRole;
    this.developerRole = developerRole;
    this.projectsClaim = projectsClaim;
    this.projectGroupPrefix = projectGroupPrefix;
    this.defaultProject = defaultProject;
  }

  /** The mode these settings ask for; {@link ExposureCheck} refuses to start when it is unsafe. */
  public Mode mode() {
    if (issuer.isPresent()) {
      return Mode.TOKENS;
    }
    return "disabled".equals(override.orElse("")) ? Mode.DISABLED : Mode.LOCAL;
  }

  /** A value of {@code KAAPANA_AUTH} that means nothing, if one was set. */
  Optional<String> unknownOverride() {
    return override.filter(v -> !v.equals("disabled"));
  }

  public Optional<String> issuer() {
    return issuer;
  }

  /**
   * The service's client id: its roles in {@code resource_access} count, and it is the audience.
   */
  public String clientId() {
    return clientId;
  }

  /**
   * Claim paths that hold role names, dot-separated. Default: Keycloak's realm roles and this
   * client's roles.
   */
  public List<String> roleClaims() {
    return roleClaims.orElseGet(
        () -> {
          List<String> paths = new ArrayList<>();
          paths.add("realm_access.roles");
          paths.add("resource_access." + clientId + ".roles");
          return paths;
        });
  }

  /** The token role that grants each of the service's roles. */
  public String tokenRoleFor(String role) {
    return switch (role) {
      case AccessRoles.USER -> userRole;
      case AccessRoles.ADAPTER -> adapterRole;
      case AccessRoles.ADMIN -> adminRole;
      case AccessRoles.WORKFLOW_DEVELOPER -> developerRole;
      default -> throw new IllegalArgumentException("unknown role " + role);
    };
  }

  /** The claim that lists the caller's projects (group paths or plain names). */
  public String projectsClaim() {
    return projectsClaim;
  }

  /** Group paths under this prefix name projects: {@code /projects/liver} is {@code liver}. */
  public String projectGroupPrefix() {
    return projectGroupPrefix;
  }

  /** The project of a run created without one by a caller who sees every project. */
  public String defaultProject() {
    return defaultProject;
  }
}
