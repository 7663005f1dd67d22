package io.kaapana.workflow.core.domain;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The projects whose runs a caller may see and act on: every project (admins, and the quick start
 * without an identity provider) or a set of names (users). A run's project is its {@link
 * Labels#PROJECT} label; workflow definitions belong to no project.
 */
public final class ProjectScope {
  private static final ProjectScope ALL = new ProjectScope(null);

  /** Null for every project. */
  private final Set<String> projects;

  private ProjectScope(Set<String> projects) {
    this.projects = projects == null ? null : Set.copyOf(new TreeSet<>(projects));
  }

  public static ProjectScope all() {
    return ALL;
  }

  public static ProjectScope of(Set<String> projects) {
    return new ProjectScope(projects);
  }

  public boolean isAll() {
    return projects == null;
  }

  /** The projects named, sorted; empty for {@link #all()}. */
  public List<String> names() {
    return projects == null ? List.of() : List.copyOf(new TreeSet<>(projects));
  }

  public boolean includes(String project) {
    return projects == null || (project != null && projects.contains(project));
  }

  /** Whether a run with these labels is in scope. */
  public boolean sees(Labels runLabels) {
    return includes(runLabels.get(Labels.PROJECT));
  }

  /** A selector that confines a query of runs to this scope (nothing more for {@link #all()}). */
  public LabelSelector selector() {
    if (projects == null) {
      return LabelSelector.everything();
    }
    return new LabelSelector(
        List.of(new LabelSelector.Requirement(Labels.PROJECT, LabelSelector.Operator.IN, names())));
  }

  @Override
  public String toString() {
    return projects == null ? "all projects" : "projects " + names();
  }
}
