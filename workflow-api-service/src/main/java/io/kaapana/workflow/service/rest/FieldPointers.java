package io.kaapana.workflow.service.rest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.kaapana.workflow.core.domain.FieldError;
import io.kaapana.workflow.core.domain.FieldPath;
import java.util.List;

/**
 * The wire's form of a {@link FieldPath}: a JSON pointer (RFC 6901) with the domain's field names
 * written as the JSON of the API writes them (snake_case, {@code quarkus.jackson
 * .property-naming-strategy}), and the same names in place of {@value FieldError#FIELD} in
 * messages.
 */
final class FieldPointers {
  private static final PropertyNamingStrategies.NamingBase WIRE_NAMES =
      (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

  private FieldPointers() {}

  /** A place named in the wire's own words, e.g. {@code at("task_runs").index(0)}. */
  static FieldPath at(String wireName) {
    return FieldPath.REQUEST.key(wireName);
  }

  static String pointer(FieldPath path) {
    StringBuilder pointer = new StringBuilder();
    for (FieldPath.Step step : path.steps()) {
      pointer.append('/');
      if (step instanceof FieldPath.Field field) {
        pointer.append(escape(WIRE_NAMES.translate(field.name())));
      } else if (step instanceof FieldPath.Key key) {
        pointer.append(escape(key.key()));
      } else if (step instanceof FieldPath.Index index) {
        pointer.append(index.position());
      }
    }
    return pointer.toString();
  }

  static String message(FieldError error) {
    return text(error.message(), error.path());
  }

  /**
   * A problem's detail: the one error's message when there is one, written for the wire like the
   * error itself.
   */
  static String detail(String detail, List<FieldError> errors) {
    return errors.size() == 1 ? text(detail, errors.get(0).path()) : detail;
  }

  private static String text(String message, FieldPath path) {
    if (message == null || !message.contains(FieldError.FIELD)) {
      return message;
    }
    String name = "the request";
    for (FieldPath.Step step : path.steps()) {
      if (step instanceof FieldPath.Field field) {
        name = WIRE_NAMES.translate(field.name());
      }
    }
    return message.replace(FieldError.FIELD, name);
  }

  private static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }
}
