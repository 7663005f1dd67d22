package io.kaapana.workflow.adapter.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON text of values the API returned as Java maps (the parameters schema). */
final class RuntimeJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RuntimeJson() {}

  static String write(Object value) {
    if (value == null) {
      return null;
    }
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
  }
}
