package io.kaapana.workflow.core.port.out;

import io.kaapana.workflow.core.domain.FieldError;
import java.util.List;
import java.util.Map;

/** Checks JSON Schemas and validates run parameters against them (JSON Schema 2020-12). */
public interface ParameterValidator {
  /**
   * Problems that make {@code schema} unusable as a parameters schema, each located by keys inside
   * the schema document; empty when it is fine.
   */
  List<FieldError> checkSchema(Map<String, Object> schema);

  /**
   * The parameters with the schema's defaults applied, when they are valid.
   *
   * @throws io.kaapana.workflow.core.domain.WorkflowApiException {@code invalid-parameters} with a
   *     path of keys (relative to the parameters object) for every violation
   */
  Map<String, Object> validate(Map<String, Object> schema, Map<String, Object> parameters);
}
