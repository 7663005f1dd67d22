package io.kaapana.workflow.service.persistence;

import io.kaapana.workflow.core.domain.LabelSelector;
import io.kaapana.workflow.core.domain.Workflow;
import io.kaapana.workflow.core.domain.WorkflowRevision;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Read side of workflows: one query per listing, never one per row. */
@ApplicationScoped
public class WorkflowQueries {
  public record WorkflowView(Workflow workflow, WorkflowRevision revision) {}

  public record Filter(
      String title, String workflowEngine, LabelSelector selector, boolean includeArchived) {}

  public static final List<String> ORDER_BY = List.of("created_at", "updated_at", "title");

  private static final String SELECT =
      "SELECT "
          + Rows.WORKFLOW_COLUMNS
          + ", "
          + Rows.REVISION_COLUMNS
          + " FROM workflows w JOIN workflow_revisions rev"
          + " ON rev.workflow_id = w.id AND rev.increment = w.current_increment";

  private final Jdbc jdbc;
  private final Rows rows;
  private final JdbcWorkflowRepository workflows;

  public WorkflowQueries(Jdbc jdbc, Rows rows, JdbcWorkflowRepository workflows) {
    this.jdbc = jdbc;
    this.rows = rows;
    this.workflows = workflows;
  }

  public Optional<WorkflowView> find(UUID id) {
    return jdbc.query(SELECT + " WHERE w.id = ?", List.of(id), this::view).stream().findFirst();
  }

  public Page<WorkflowView> list(Filter filter, PageRequest page) {
    KeysetQuery q = new KeysetQuery(SELECT, "w");
    if (filter.title() != null) {
      q.and("w.title = ?", filter.title());
    }
    if (filter.workflowEngine() != null) {
      q.and("w.workflow_engine = ?", filter.workflowEngine());
    }
    if (!filter.includeArchived()) {
      q.and("NOT w.archived");
    }
    SelectorSql.append(filter.selector(), "w.labels", q.where(), q.params());
    return q.page(
        jdbc,
        page,
        this::view,
        v ->
            page.orderBy().equals("title")
                ? v.workflow().title()
                : page.orderBy().equals("updated_at")
                    ? v.workflow().updatedAt().toString()
                    : v.workflow().createdAt().toString(),
        v -> v.workflow().id(),
        page.orderBy().equals("title"),
        "workflows w");
  }

  public Optional<WorkflowRevision> revision(UUID workflowId, int increment) {
    return workflows.findRevision(workflowId, increment);
  }

  public Page<WorkflowRevision> revisions(UUID workflowId, int limit, String pageToken) {
    long after = SeqToken.decode(pageToken, 0);
    List<WorkflowRevision> found =
        jdbc.query(
            "SELECT "
                + Rows.REVISION_COLUMNS
                + " FROM workflow_revisions rev"
                + " WHERE rev.workflow_id = ? AND rev.increment > ? ORDER BY rev.increment LIMIT ?",
            List.of(workflowId, after, limit + 1),
            rows::revision);
    return SeqToken.page(found, limit, WorkflowRevision::increment);
  }

  private WorkflowView view(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new WorkflowView(rows.workflow(rs), rows.revision(rs));
  }
}
