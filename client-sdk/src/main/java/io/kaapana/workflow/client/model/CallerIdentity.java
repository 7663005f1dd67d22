package io.kaapana.workflow.client.model;

import java.util.List;

/**
 * Who the service takes the caller to be: the name it records, the roles it grants, and the
 * projects whose runs the caller sees ({@code null} for every project).
 */
public record CallerIdentity(
    String actor, String subject, String clientId, List<String> roles, List<String> projects) {

  public boolean hasRole(String role) {
    return roles != null && roles.contains(role);
  }
}
