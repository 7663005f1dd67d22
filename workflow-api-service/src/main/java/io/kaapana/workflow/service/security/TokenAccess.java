package io.kaapana.workflow.service.security;

import io.kaapana.workflow.core.domain.Labels;
import io.kaapana.workflow.core.domain.ProjectScope;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Turns a verified token into a {@link Caller}: the token's roles mapped onto the service's (only
 * those count; the token's other roles are dropped), and its projects from the projects claim.
 */
@ApplicationScoped
public class TokenAccess implements SecurityIdentityAugmentor {
  private static final List<String> ROLES =
      List.of(
          AccessRoles.USER, AccessRoles.ADAPTER, AccessRoles.ADMIN, AccessRoles.WORKFLOW_DEVELOPER);

  private final AuthSettings settings;
  private final VerifiedTokens verified;

  public TokenAccess(AuthSettings settings, VerifiedTokens verified) {
    this.settings = settings;
    this.verified = verified;
  }

  @Override
  public Uni<SecurityIdentity> augment(
      SecurityIdentity identity, AuthenticationRequestContext context) {
    if (identity.isAnonymous()
        || identity.getAttribute(Caller.class.getName()) != null
        || !(identity.getPrincipal() instanceof JsonWebToken token)
        || token.getRawToken() == null) {
      return Uni.createFrom().item(identity);
    }
    Caller caller = callerOf(TokenClaims.of(token.getRawToken()));
    SecurityIdentity augmented =
        QuarkusSecurityIdentity.builder()
            .setPrincipal(identity.getPrincipal())
            .addCredentials(identity.getCredentials())
            .addAttributes(identity.getAttributes())
            .addAttribute(Caller.class.getName(), caller)
            .addRoles(caller.roles())
            .build();
    // quarkus-oidc verified this token just now (augmentors run after verification). The
    // remembered caller holds no part of this request (quarkus-oidc's principal and credential
    // refer to its routing context), only the name, the roles and the Caller.
    verified.remember(
        token.getRawToken(),
        QuarkusSecurityIdentity.builder()
            .setPrincipal(new QuarkusPrincipal(identity.getPrincipal().getName()))
            .addAttribute(Caller.class.getName(), caller)
            .addRoles(caller.roles())
            .build(),
        token.getExpirationTime());
    return Uni.createFrom().item(augmented);
  }

  Caller callerOf(TokenClaims claims) {
    Set<String> tokenRoles = claims.strings(settings.roleClaims());
    Set<String> roles = new LinkedHashSet<>();
    for (String role : ROLES) {
      if (tokenRoles.contains(settings.tokenRoleFor(role))) {
        roles.add(role);
      }
    }
    ProjectScope projects =
        roles.contains(AccessRoles.ADMIN)
            ? ProjectScope.all()
            : ProjectScope.of(projects(claims.strings(settings.projectsClaim())));
    return new Caller(
        claims.string("sub"),
        claims.string("preferred_username"),
        claims.string("azp"),
        roles,
        projects);
  }

  /**
   * Project names from the claim's values: a group path under the prefix ({@code /projects/liver})
   * names its project, a plain value is a name; other paths and names that are not valid label
   * values are ignored.
   */
  private Set<String> projects(Set<String> values) {
    Set<String> names = new LinkedHashSet<>();
    String prefix = settings.projectGroupPrefix();
    for (String value : values) {
      String name;
      if (value.startsWith("/")) {
        if (!value.startsWith(prefix) || value.indexOf('/', prefix.length()) >= 0) {
          continue;
        }
        name = value.substring(prefix.length());
      } else {
        name = value;
      }
      if (!name.isEmpty() && Labels.valueProblem(name).isEmpty()) {
        names.add(name);
      }
    }
    return names;
  }
}
