package io.kaapana.workflow.service.security;

import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;

/** The {@link Caller} of the current request, once the security check of its resource has run. */
@ApplicationScoped
public class Callers {
  private final SecurityIdentity identity;

  public Callers(SecurityIdentity identity) {
    this.identity = identity;
  }

  public Caller current() {
    Caller caller = identity.getAttribute(Caller.class.getName());
    if (caller == null) {
      throw new UnauthorizedException();
    }
    return caller;
  }
}
