package io.kaapana.workflow.service.persistence;

import io.kaapana.workflow.core.domain.LabelSelector;
import java.util.List;
import java.util.Map;

/**
 * Renders a label selector as SQL over a JSONB column. Every requirement uses the containment
 * ({@code @>}) or key-exists ({@code ?}) operator, both served by the GIN index on the column.
 */
public final class SelectorSql {
  private SelectorSql() {}

  /**
   * Appends {@code AND …} for each requirement to {@code sql}, and its parameters to {@code
   * params}.
   */
  public static void append(
      LabelSelector selector, String column, StringBuilder sql, List<Object> params) {
    for (LabelSelector.Requirement r : selector.requirements()) {
      switch (r.operator()) {
        case EQUALS -> {
          sql.append(" AND ").append(column).append(" @> ?::jsonb");
          params.add(new Jdbc.Json(Map.of(r.key(), r.values().get(0))));
        }
        case NOT_EQUALS -> {
          sql.append(" AND NOT (").append(column).append(" @> ?::jsonb)");
          params.add(new Jdbc.Json(Map.of(r.key(), r.values().get(0))));
        }
        case IN, NOT_IN -> {
          if (r.values().isEmpty()) {
            // in () holds for nothing, notin () for everything
            sql.append(r.operator() == LabelSelector.Operator.IN ? " AND FALSE" : "");
            continue;
          }
          sql.append(r.operator() == LabelSelector.Operator.IN ? " AND (" : " AND NOT (");
          for (int i = 0; i < r.values().size(); i++) {
            if (i > 0) {
              sql.append(" OR ");
            }
            sql.append(column).append(" @> ?::jsonb");
            params.add(new Jdbc.Json(Map.of(r.key(), r.values().get(i))));
          }
          sql.append(')');
        }
        // "??" is the JDBC escape of PostgreSQL's "?" (key exists) operator.
        case EXISTS -> {
          sql.append(" AND ").append(column).append(" ?? ?");
          params.add(r.key());
        }
        case DOES_NOT_EXIST -> {
          sql.append(" AND NOT (").append(column).append(" ?? ?)");
          params.add(r.key());
        }
      }
    }
  }
}
