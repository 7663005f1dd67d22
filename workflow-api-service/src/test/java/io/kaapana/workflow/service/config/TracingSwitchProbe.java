package io.kaapana.workflow.service.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigValue;
import java.util.Iterator;
import java.util.Map;

/** Asks {@link TracingSwitch} about values from a source of the given ordinal. */
public final class TracingSwitchProbe {
  private TracingSwitchProbe() {}

  public static boolean configured(Map<String, String> values, int ordinal) {
    return TracingSwitch.endpointConfigured(
        new ConfigSourceContext() {
          @Override
          public ConfigValue getValue(String name) {
            String value = values.get(name);
            return value == null
                ? null
                : ConfigValue.builder()
                    .withName(name)
                    .withValue(value)
                    .withConfigSourceOrdinal(ordinal)
                    .build();
          }

          @Override
          public Iterator<String> iterateNames() {
            return values.keySet().iterator();
          }
        });
  }
}
