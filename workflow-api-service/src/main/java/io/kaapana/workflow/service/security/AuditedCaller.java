package io.kaapana.workflow.service.security;

import io.kaapana.workflow.service.persistence.RequestCaller;
import io.quarkus.arc.Arc;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** The audit trail's view of the {@link Caller} of the request being served. */
@ApplicationScoped
public class AuditedCaller implements RequestCaller {
  private final SecurityIdentity identity;

  public AuditedCaller(SecurityIdentity identity) {
    this.identity = identity;
  }

  @Override
  public Optional<Identity> current() {
    if (!Arc.container().requestContext().isActive()) {
      return Optional.empty();
    }
    Caller caller = identity.getAttribute(Caller.class.getName());
    return caller == null
        ? Optional.empty()
        : Optional.of(new Identity(caller.subject(), caller.clientId()));
  }
}
