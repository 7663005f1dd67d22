package io.kaapana.workflow.service.rest;

import io.kaapana.workflow.core.domain.ErrorCode;
import io.kaapana.workflow.core.domain.FieldError;
import io.kaapana.workflow.core.domain.FieldPath;
import io.kaapana.workflow.core.domain.LabelSelector;
import io.kaapana.workflow.core.domain.WorkflowApiException;
import io.kaapana.workflow.service.persistence.PageRequest;
import jakarta.ws.rs.core.EntityTag;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Parsing of path, query and header values into domain values, with 400 problems on bad input. */
final class Http {
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private Http() {}

  static UUID id(String value, String what) {
    try {
      if (value != null && value.length() == 36) {
        return UUID.fromString(value);
      }
    } catch (IllegalArgumentException e) {
      // fall through
    }
    throw WorkflowApiException.notFound(what + " '" + value + "' (ids are UUIDs)");
  }

  static UUID optionalUuid(String value, String parameter) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      if (value.length() == 36) {
        return UUID.fromString(value);
      }
    } catch (IllegalArgumentException e) {
      // fall through
    }
    throw PageRequest.badQuery(parameter + " must be a UUID, got '" + value + "'");
  }

  static Instant optionalInstant(String value, String parameter) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw PageRequest.badQuery(
          parameter
              + " must be an RFC 3339 timestamp such as 2026-11-26T17:00:00Z, got '"
              + value
              + "'");
    }
  }

  static <E extends Enum<E>> Set<E> enumList(String value, Class<E> type, String parameter) {
    if (value == null || value.isBlank()) {
      return Set.of();
    }
    Set<E> result = EnumSet.noneOf(type);
    for (String part : value.split(",")) {
      try {
        result.add(Enum.valueOf(type, part.trim()));
      } catch (IllegalArgumentException e) {
        throw PageRequest.badQuery(
            parameter
                + " takes a comma list of "
                + List.of(type.getEnumConstants())
                + "; '"
                + part.trim()
                + "' is none of them");
      }
    }
    return result;
  }

  static int intInRange(String value, String parameter, int min, int max, int defaultValue) {
    if (value == null || value.isEmpty()) {
      return defaultValue;
    }
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw PageRequest.badQuery(
        parameter + " must be a whole number from " + min + " to " + max + ", got '" + value + "'");
  }

  static LabelSelector selector(String value) {
    return LabelSelector.parse(value);
  }

  static EntityTag etag(long version) {
    return new EntityTag(String.valueOf(version));
  }

  /** The version an {@code If-Match} header names; null for none or {@code *}. */
  static Long ifMatch(String header) {
    if (header == null || header.isBlank() || header.trim().equals("*")) {
      return null;
    }
    String tag = header.trim();
    if (tag.startsWith("W/")) {
      tag = tag.substring(2);
    }
    if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
      tag = tag.substring(1, tag.length() - 1);
    }
    try {
      return Long.parseLong(tag);
    } catch (NumberFormatException e) {
      // An entity tag we never issued cannot match.
      throw new WorkflowApiException(
          ErrorCode.PRECONDITION_FAILED,
          "If-Match " + header + " is not an entity tag of this object");
    }
  }

  static String idempotencyKey(String header) {
    if (header == null) {
      return null;
    }
    if (header.isBlank() || header.length() > 255) {
      throw new WorkflowApiException(
          ErrorCode.INVALID_QUERY,
          "Idempotency-Key must be 1 to 255 characters",
          List.of(new FieldError(FieldPath.REQUEST, "Idempotency-Key must be 1 to 255 characters")),
          null);
    }
    return header;
  }

  static void requireBody(Object body) {
    if (body == null) {
      throw WorkflowApiException.invalid(
          ErrorCode.MALFORMED_REQUEST,
          List.of(new FieldError(FieldPath.REQUEST, "a JSON body is required")));
    }
  }
}
