package io.kaapana.workflow.service.persistence;

import com.fasterxml.jackson.core.type.TypeReference;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Thin JDBC helper on the Agroal data source. Inside a JTA transaction every call shares the
 * transaction's connection, so several repositories take part in one commit.
 */
@ApplicationScoped
public class Jdbc {
  /** Marks a parameter to be bound as JSON text (the SQL casts it with {@code ::jsonb}). */
  public record Json(Object value) {}

  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};
  static final TypeReference<Map<String, Object>> OBJECT_MAP = new TypeReference<>() {};
  static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {};

  private final AgroalDataSource dataSource;

  public Jdbc(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  public <T> List<T> query(String sql, List<?> params, RowMapper<T> rowMapper) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(rowMapper.map(rs));
        }
        return out;
      }
    } catch (SQLException e) {
      throw new DatabaseException(e);
    }
  }

  public int update(String sql, List<?> params) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new DatabaseException(e);
    }
  }

  public void batch(String sql, List<? extends List<?>> rows) {
    if (rows.isEmpty()) {
      return;
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (List<?> row : rows) {
        bind(ps, row);
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw new DatabaseException(e);
    }
  }

  private void bind(PreparedStatement ps, List<?> params) throws SQLException {
    for (int i = 0; i < params.size(); i++) {
      Object p = params.get(i);
      if (p instanceof Instant instant) {
        ps.setObject(i + 1, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
      } else if (p instanceof Json json) {
        ps.setString(i + 1, json.value() == null ? null : toJson(json.value()));
      } else if (p instanceof Enum<?> e) {
        ps.setString(i + 1, e.name());
      } else {
        ps.setObject(i + 1, p);
      }
    }
  }

  /** As stored in a {@code jsonb} column (see {@link StoredJson}). */
  public String toJson(Object value) {
    return StoredJson.write(value);
  }

  public <T> T fromJson(String json, TypeReference<T> type) {
    return StoredJson.read(json, type);
  }

  public static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  public static UUID uuid(ResultSet rs, String column) throws SQLException {
    return rs.getObject(column, UUID.class);
  }

  /** An unexpected database failure; the problem mapper turns it into a 500 or 503. */
  public static class DatabaseException extends RuntimeException {
    public DatabaseException(SQLException cause) {
      super(cause.getMessage(), cause);
    }

    public String sqlState() {
      return ((SQLException) getCause()).getSQLState();
    }
  }
}
