package io.kaapana.workflow.service.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class AdapterEndpointsTest {

  private static boolean allows(AdapterEndpoints endpoints, String url) {
    return endpoints.allows(URI.create(url));
  }

  @Test
  void byDefaultLoopbackAndClusterServiceNamesOnly() {
    AdapterEndpoints defaults = new AdapterEndpoints("loopback,cluster");
    assertThat(allows(defaults, "http://127.0.0.1:8181")).isTrue();
    assertThat(allows(defaults, "http://127.9.9.9")).isTrue();
    assertThat(allows(defaults, "http://[::1]:8181")).isTrue();
    assertThat(allows(defaults, "http://localhost:8181")).isTrue();
    assertThat(allows(defaults, "http://airflow-adapter.kaapana.svc:8181")).isTrue();
    assertThat(allows(defaults, "http://airflow-adapter.kaapana.svc.cluster.local")).isTrue();

    assertThat(allows(defaults, "http://169.254.169.254/latest/meta-data")).isFalse();
    assertThat(allows(defaults, "http://[::ffff:169.254.169.254]/")).isFalse();
    assertThat(allows(defaults, "http://metadata/")).as("a bare name").isFalse();
    assertThat(allows(defaults, "http://10.0.0.5:8181")).isFalse();
    assertThat(allows(defaults, "http://example.org")).isFalse();
    assertThat(allows(defaults, "http://svc")).isFalse();
    assertThat(allows(defaults, "http://127.1")).as("a legacy spelling").isFalse();
    assertThat(allows(defaults, "http://2130706433")).as("127.0.0.1 as one number").isFalse();
    assertThat(allows(defaults, "http://evil.example.org.svc.attacker.net")).isFalse();
  }

  @Test
  void networksSuffixesAndNamesCanBeAdded() {
    AdapterEndpoints custom =
        new AdapterEndpoints("10.0.0.0/8, fd00::/8, *.adapters.example.org, logs.example.org");
    assertThat(allows(custom, "https://10.20.30.40")).isTrue();
    assertThat(allows(custom, "http://[fd12::1]:80")).isTrue();
    assertThat(allows(custom, "http://argo.adapters.example.org")).isTrue();
    assertThat(allows(custom, "http://LOGS.example.org")).isTrue();
    assertThat(allows(custom, "http://11.0.0.1")).isFalse();
    assertThat(allows(custom, "http://adapters.example.org")).isFalse();
    assertThat(allows(custom, "http://127.0.0.1")).as("loopback not listed").isFalse();
  }

  @Test
  void aMalformedNetworkIsRefusedAtStart() {
    assertThatThrownBy(() -> new AdapterEndpoints("10.0.0.0/33"))
        .hasMessageContaining("'10.0.0.0/33'");
    assertThatThrownBy(() -> new AdapterEndpoints("intranet/8")).hasMessageContaining("CIDR");
  }
}
