package io.kaapana.workflow.service.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/** Without an identity provider the service answers on loopback only, unless told otherwise. */
class ExposureCheckTest {
  private static ExposureCheck check(AuthSettings settings, String host) {
    return new ExposureCheck(settings, host, 8080);
  }

  @Test
  void noIssuerIsRefusedOnAnyOtherInterfaceWithWhatToSet() {
    for (String host : new String[] {"0.0.0.0", "10.0.0.7", "::", "api.example"}) {
      assertThatThrownBy(() -> check(DefaultAuthSettings.with(null, null), host).check(null))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("would listen on " + host)
          .hasMessageContaining("KAAPANA_AUTH_ISSUER")
          .hasMessageContaining("QUARKUS_HTTP_HOST=127.0.0.1")
          .hasMessageContaining("KAAPANA_AUTH=disabled");
    }
    for (String host : new String[] {"127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"}) {
      assertThatCode(() -> check(DefaultAuthSettings.with(null, null), host).check(null))
          .doesNotThrowAnyException();
    }
  }

  @Test
  void anIssuerOrAnExplicitDisableLetsItStartAndTheHealthCheckSaysWhich() {
    ExposureCheck tokens =
        check(DefaultAuthSettings.with("https://keycloak.example/realms/kaapana", null), "0.0.0.0");
    assertThatCode(() -> tokens.check(null)).doesNotThrowAnyException();
    assertThat(tokens.call().getData().orElseThrow()).containsEntry("mode", "tokens");

    ExposureCheck disabled = check(DefaultAuthSettings.with(null, "disabled"), "0.0.0.0");
    assertThatCode(() -> disabled.check(null)).doesNotThrowAnyException();
    HealthCheckResponse health = disabled.call();
    assertThat(health.getData().orElseThrow())
        .containsEntry("mode", "disabled")
        .containsEntry("warning", ExposureCheck.DISABLED_WARNING);

    assertThatThrownBy(() -> check(DefaultAuthSettings.with(null, "off"), "127.0.0.1").check(null))
        .hasMessageContaining("KAAPANA_AUTH='off' is not understood");
  }
}
