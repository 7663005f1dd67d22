package io.kaapana.workflow.service.security;

/**
 * The service's own role names, which resources name in {@code @RolesAllowed}. A token's roles are
 * mapped onto them by configuration ({@link AuthSettings}); {@link #ADMIN} may do everything.
 */
public final class AccessRoles {
  /** Workflows read; runs, events and logs of the caller's projects. */
  public static final String USER = "user";

  /** An engine adapter: register, claim, report, validate; the definitions it runs. */
  public static final String ADAPTER = "adapter";

  /** Everything, every project. */
  public static final String ADMIN = "admin";

  /** Writes workflow definitions (which are platform-wide). */
  public static final String WORKFLOW_DEVELOPER = "workflow-developer";

  private AccessRoles() {}
}
