package io.kaapana.workflow.adapter.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kaapana.workflow.adapter.spi.AdapterConfig;
import io.kaapana.workflow.adapter.spi.AdapterContext;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.WorkflowAdapter;
import io.kaapana.workflow.adapter.spi.WorkflowAdapterFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SPI's promise: an engine that is not up yet is waited for, a refused config is not. */
class AdapterCreationTest {
  private final List<Long> sleeps = new ArrayList<>();

  private static WorkflowAdapterFactory factory(
      int unavailableFirst, AdapterException.ErrorCode code) {
    int[] left = {unavailableFirst};
    return new WorkflowAdapterFactory() {
      @Override
      public String id() {
        return "late";
      }

      @Override
      public List<String> validate(AdapterConfig config) {
        return List.of();
      }

      @Override
      public WorkflowAdapter create(AdapterConfig config, AdapterContext context)
          throws AdapterException {
        if (left[0]-- > 0) {
          throw new AdapterException(code, "engine says no");
        }
        return new Fakes.Engine();
      }
    };
  }

  @Test
  void anEngineThatIsNotUpYetIsWaitedForWithBackoff() throws Exception {
    WorkflowAdapter adapter =
        AdapterRuntime.createAdapter(
            factory(3, AdapterException.ErrorCode.UNAVAILABLE),
            AdapterConfig.of(),
            null,
            millis -> sleeps.add(millis));

    assertThat(adapter).isInstanceOf(Fakes.Engine.class);
    assertThat(sleeps).hasSize(3); // one wait per refusal, doubling, with jitter
    assertThat(sleeps.get(0)).isBetween(250L, 500L);
    assertThat(sleeps.get(1)).isBetween(500L, 1_000L);
    assertThat(sleeps.get(2)).isBetween(1_000L, 2_000L);
  }

  @Test
  void aConfigurationTheEngineRefusesFailsAtOnce() {
    assertThatThrownBy(
            () ->
                AdapterRuntime.createAdapter(
                    factory(1, AdapterException.ErrorCode.INVALID_CONFIG),
                    AdapterConfig.of(),
                    null,
                    millis -> sleeps.add(millis)))
        .isInstanceOfSatisfying(
            AdapterException.class,
            e -> assertThat(e.code()).isEqualTo(AdapterException.ErrorCode.INVALID_CONFIG));
    assertThat(sleeps).isEmpty();
  }
}
