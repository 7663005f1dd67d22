package io.kaapana.workflow.quickstart;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Reads the samples' JSON Schemas. */
final class SampleJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SampleJson() {}

  static Map<String, Object> object(String json) {
    try {
      return JSON.readValue(json, new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
