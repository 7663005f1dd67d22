package io.kaapana.workflow.service.persistence;

import io.kaapana.workflow.core.domain.ErrorCode;
import io.kaapana.workflow.core.domain.WorkflowApiException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Builds a filtered, keyset-paged SELECT: the caller adds WHERE conditions, this class adds the
 * cursor condition, ORDER BY and LIMIT, and turns the rows into a {@link Page}.
 */
final class KeysetQuery {
  private final String select;
  private final String alias;
  private final StringBuilder where = new StringBuilder(" WHERE true");
  private final List<Object> params = new ArrayList<>();

  KeysetQuery(String select, String alias) {
    this.select = select;
    this.alias = alias;
  }

  KeysetQuery and(String condition, Object... values) {
    where.append(" AND ").append(condition);
    params.addAll(java.util.Arrays.asList(values));
    return this;
  }

  StringBuilder where() {
    return where;
  }

  List<Object> params() {
    return params;
  }

  <T> Page<T> page(
      Jdbc jdbc,
      PageRequest page,
      Jdbc.RowMapper<T> mapper,
      Function<T, String> sortValue,
      Function<T, UUID> id,
      boolean textSort,
      String fromForCount) {
    StringBuilder sql = new StringBuilder(select).append(where);
    List<Object> all = new ArrayList<>(params);
    String column = alias + "." + page.orderBy();
    if (page.afterValue() != null) {
      sql.append(" AND (")
          .append(column)
          .append(", ")
          .append(alias)
          .append(".id) ")
          .append(page.descending() ? "<" : ">")
          .append(" (?, ?)");
      all.add(textSort ? page.afterValue() : parseInstant(page.afterValue()));
      all.add(parseUuid(page.afterId()));
    }
    String dir = page.descending() ? " DESC" : " ASC";
    sql.append(" ORDER BY ")
        .append(column)
        .append(dir)
        .append(", ")
        .append(alias)
        .append(".id")
        .append(dir);
    sql.append(" LIMIT ?");
    all.add(page.limit() + 1);
    List<T> rows = jdbc.query(sql.toString(), all, mapper);
    String next = null;
    if (rows.size() > page.limit()) {
      rows = rows.subList(0, page.limit());
      T last = rows.get(rows.size() - 1);
      next = page.tokenAfter(sortValue.apply(last), id.apply(last).toString());
    }
    Long total = null;
    if (page.includeTotal()) {
      total =
          jdbc.query("SELECT count(*) FROM " + fromForCount + where, params, rs -> rs.getLong(1))
              .get(0);
    }
    return new Page<>(List.copyOf(rows), next, total);
  }

  private static Instant parseInstant(String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new WorkflowApiException(ErrorCode.INVALID_PAGE_TOKEN, "page_token is damaged");
    }
  }

  private static UUID parseUuid(String value) {
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw new WorkflowApiException(ErrorCode.INVALID_PAGE_TOKEN, "page_token is damaged");
    }
  }
}
