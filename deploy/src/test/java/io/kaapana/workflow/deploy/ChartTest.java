package io.kaapana.workflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Helm chart: {@code helm lint --strict} and {@code helm template} for every value set in
 * {@code ci/}, the rendered manifests valid for Kubernetes {@value Chart#KUBERNETES} (checked
 * offline by kubernetes-validate with its bundled schemas), what a Kaapana installation needs in
 * them, and {@code values.schema.json} refusing wrong values with a message.
 */
class ChartTest {
  @TempDir Path temp;

  @ParameterizedTest
  @ValueSource(strings = {"kaapana", "argo", "minimal"})
  void eachValueSetLintsStrictRendersAndValidates(String valueSet) throws Exception {
    Path values = Chart.valueSet(valueSet);
    Chart.helm("lint", "--strict", Chart.DIR.toString(), "--values", values.toString())
        .succeeded("helm lint --strict with " + values);
    String rendered = Chart.template(values).succeeded("helm template with " + values).out();
    Path manifests = Files.writeString(temp.resolve(valueSet + ".yaml"), rendered);
    Command validation =
        Command.run(
            List.of(
                Chart.TOOLS.resolve("kubernetes-validate-env.sh").toString(),
                "run",
                "--kubernetes-version",
                Chart.KUBERNETES,
                "--strict",
                manifests.toString()));
    validation.succeeded("kubernetes-validate of " + valueSet);
    for (JsonNode m : Chart.manifests(rendered)) {
      if (m.path("apiVersion").asText().equals("monitoring.coreos.com/v1")) {
        continue; // a CRD: no bundled schema (its structure is checked below)
      }
      assertThat(validation.out())
          .as("kubernetes-validate checked %s", m.path("metadata").path("name").asText())
          .containsIgnoringCase(
              "passed for resource "
                  + m.path("kind").asText().toLowerCase()
                  + "/"
                  + m.path("metadata").path("name").asText());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"kaapana", "argo", "minimal"})
  void everyPodRunsUnprivilegedOnAReadOnlyRoot(String valueSet) throws Exception {
    List<JsonNode> manifests = Chart.manifests(Chart.template(Chart.valueSet(valueSet)).out());
    List<JsonNode> deployments =
        manifests.stream().filter(m -> m.path("kind").asText().equals("Deployment")).toList();
    assertThat(deployments).isNotEmpty();
    for (JsonNode d : deployments) {
      JsonNode pod = d.path("spec").path("template").path("spec");
      assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
      assertThat(pod.path("securityContext").path("runAsUser").asInt()).isEqualTo(65532);
      assertThat(pod.path("securityContext").path("seccompProfile").path("type").asText())
          .isEqualTo("RuntimeDefault");
      for (JsonNode c : pod.path("containers")) {
        JsonNode security = c.path("securityContext");
        assertThat(security.path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(security.path("capabilities").path("drop").toString()).contains("ALL");
        assertThat(c.path("resources").path("limits").path("memory").asText()).isNotEmpty();
        assertThat(c.path("livenessProbe").isMissingNode()).isFalse();
        assertThat(c.path("readinessProbe").isMissingNode()).isFalse();
      }
    }
  }

  @Test
  void theKaapanaValueSetRendersWhatAKaapanaInstallationNeeds() throws Exception {
    List<JsonNode> manifests = Chart.manifests(Chart.template(Chart.valueSet("kaapana")).out());
    String name = "workflow-api-kaapana-workflow-api";

    JsonNode api = Chart.find(manifests, "Deployment", name);
    assertThat(api.path("spec").path("replicas").asInt()).isEqualTo(2);
    JsonNode pod = api.path("spec").path("template").path("spec");
    assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).isFalse();
    JsonNode container = pod.path("containers").get(0);
    assertThat(container.path("image").asText()).isEqualTo("kaapana/workflow-api:0.1.0");
    assertThat(Chart.env(container, "QUARKUS_DATASOURCE_JDBC_URL"))
        .isEqualTo("jdbc:postgresql://postgres-workflow-api.services.svc:5432/workflow_api");
    assertThat(Chart.env(container, "QUARKUS_DATASOURCE_PASSWORD"))
        .contains("workflow-api-database")
        .contains("password");
    assertThat(Chart.env(container, "KAAPANA_HTTP_PUBLIC_PATH")).isEqualTo("/workflow-api");
    assertThat(Chart.env(container, "KAAPANA_AUTH_ISSUER"))
        .isEqualTo("https://kaapana.example/auth/realms/kaapana");
    assertThat(Chart.env(container, "KAAPANA_AUTH_CLIENT_SECRET_FILE")).isNotNull();
    assertThat(Chart.env(container, "KAAPANA_AUTH")).isNull();
    assertThat(Chart.env(container, "KAAPANA_LOG_JSON")).isEqualTo("true");
    assertThat(Chart.env(container, "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))
        .isEqualTo("http://otel-collector.observability.svc:4318");
    assertThat(Chart.env(container, "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"))
        .isEqualTo("http/protobuf");
    assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/q/health/ready");
    assertThat(container.path("livenessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/q/health/live");

    JsonNode budget = Chart.find(manifests, "PodDisruptionBudget", name);
    assertThat(budget.path("spec").path("minAvailable").asInt()).isEqualTo(1);
    JsonNode policy = Chart.find(manifests, "NetworkPolicy", name);
    assertThat(policy.path("spec").path("ingress").toString())
        .contains("kaapana.io/workflow-api-client")
        .contains("traefik");

    JsonNode airflow = Chart.find(manifests, "Deployment", name + "-adapter-airflow");
    JsonNode airflowPod = airflow.path("spec").path("template").path("spec");
    JsonNode adapter = airflowPod.path("containers").get(0);
    assertThat(airflow.path("spec").path("replicas").asInt()).isEqualTo(1);
    assertThat(Chart.env(adapter, "KAAPANA_ADAPTER_KIND")).isEqualTo("airflow");
    assertThat(Chart.env(adapter, "KAAPANA_ADAPTER_API_URL"))
        .isEqualTo("http://" + name + ".kaapana-workflow.svc:8080");
    assertThat(Chart.env(adapter, "KAAPANA_ADAPTER_ENDPOINT_URL"))
        .isEqualTo("http://" + name + "-adapter-airflow.kaapana-workflow.svc:8081");
    assertThat(Chart.env(adapter, "KAAPANA_LOG_JSON")).isEqualTo("true");
    assertThat(Chart.env(adapter, "OTEL_EXPORTER_OTLP_ENDPOINT"))
        .as("the adapter's spans go to the same collector")
        .isEqualTo("http://otel-collector.observability.svc:4318");
    assertThat(Chart.env(adapter, "KAAPANA_AIRFLOW_DAGS_FOLDER"))
        .isEqualTo("/kaapana/mounted/workflows/dags");
    assertThat(adapter.path("volumeMounts").toString())
        .contains("\"mountPath\":\"/kaapana/mounted/workflows/dags\"");
    assertThat(airflowPod.path("volumes").toString()).contains("/home/kaapana/workflows/dags");
    assertThat(airflowPod.path("metadata").isMissingNode()).isTrue();
    assertThat(
            airflow
                .path("spec")
                .path("template")
                .path("metadata")
                .path("labels")
                .path("kaapana.io/workflow-api-client")
                .asText())
        .isEqualTo("true");

    JsonNode monitor = Chart.find(manifests, "ServiceMonitor", name);
    assertThat(monitor.path("spec").path("endpoints").get(0).path("path").asText())
        .isEqualTo("/q/metrics");
    assertThat(monitor.path("spec").path("endpoints").get(0).path("port").asText())
        .isEqualTo("http");
    JsonNode dashboard = Chart.find(manifests, "ConfigMap", name + "-dashboard");
    assertThat(dashboard.path("metadata").path("labels").path("grafana_dashboard").asText())
        .isEqualTo("1");
    JsonNode json =
        new ObjectMapper()
            .readTree(dashboard.path("data").path("kaapana-workflow-api.json").asText());
    List<String> titles = new ArrayList<>();
    json.path("panels").forEach(p -> titles.add(p.path("title").asText()));
    assertThat(titles)
        .contains(
            "Runs by state",
            "Adapters active",
            "Claim requests: rate and mean wait",
            "Status reports",
            "HTTP latency (mean) by route",
            "JVM memory");
  }

  @Test
  void theArgoAdapterGetsItsOwnAccountWithTheRightsItsDocsList() throws Exception {
    List<JsonNode> manifests = Chart.manifests(Chart.template(Chart.valueSet("argo")).out());
    String name = "workflow-api-kaapana-workflow-api-adapter-argo";
    JsonNode argo = Chart.find(manifests, "Deployment", name);
    JsonNode pod = argo.path("spec").path("template").path("spec");
    assertThat(pod.path("serviceAccountName").asText()).isEqualTo(name);
    assertThat(pod.path("automountServiceAccountToken").asBoolean()).isTrue();
    JsonNode container = pod.path("containers").get(0);
    assertThat(container.path("image").asText())
        .isEqualTo(
            "kaapana/workflow-adapter-argo@sha256:0000000000000000000000000000000000000000000000000000000000000002");
    assertThat(Chart.env(container, "KAAPANA_ARGO_TOKEN_FILE"))
        .isEqualTo("/var/run/secrets/kubernetes.io/serviceaccount/token");
    assertThat(Chart.env(container, "KAAPANA_ARGO_CA_FILE")).isNotNull();

    JsonNode role = Chart.find(manifests, "Role", name);
    assertThat(role.path("metadata").path("namespace").asText()).isEqualTo("kaapana-workflows");
    assertThat(role.path("rules").toString())
        .contains("workflowtemplates")
        .contains("\"workflows\"")
        .contains("pods/log");
    JsonNode binding = Chart.find(manifests, "RoleBinding", name);
    assertThat(binding.path("subjects").get(0).path("name").asText()).isEqualTo(name);
    assertThat(binding.path("subjects").get(0).path("namespace").asText())
        .isEqualTo(Chart.NAMESPACE);

    JsonNode api = Chart.find(manifests, "Deployment", "workflow-api-kaapana-workflow-api");
    assertThat(api.path("spec").path("replicas").asInt()).isEqualTo(3);
    JsonNode apiContainer =
        api.path("spec").path("template").path("spec").path("containers").get(0);
    assertThat(Chart.env(apiContainer, "KAAPANA_AUTH_METRICS")).isEqualTo("authenticated");
  }

  @Test
  void oneReplicaGetsNoDisruptionBudgetAndDisabledAuthSaysSo() throws Exception {
    List<JsonNode> manifests = Chart.manifests(Chart.template(Chart.valueSet("minimal")).out());
    assertThat(manifests).noneMatch(m -> m.path("kind").asText().equals("PodDisruptionBudget"));
    assertThat(manifests).noneMatch(m -> m.path("kind").asText().equals("NetworkPolicy"));
    JsonNode api = Chart.find(manifests, "Deployment", "workflow-api-kaapana-workflow-api");
    JsonNode container = api.path("spec").path("template").path("spec").path("containers").get(0);
    assertThat(Chart.env(container, "KAAPANA_AUTH")).isEqualTo("disabled");
    assertThat(Chart.env(container, "KAAPANA_AUTH_ISSUER")).isNull();
    assertThat(Chart.env(container, "KAAPANA_LOG_JSON")).isEqualTo("false");
    assertThat(Chart.env(container, "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))
        .as("no collector, no tracing")
        .isNull();
  }

  static Stream<Arguments> wrongValues() {
    return Stream.of(
        Arguments.of("no database", "auth: {disabled: true}\n", "database"),
        Arguments.of(
            "not a JDBC URL",
            "database: {url: 'postgres://db/x', existingSecret: db}\nauth: {disabled: true}\n",
            "/database/url"),
        Arguments.of("no identity provider and not disabled", database(), "/auth/issuer"),
        Arguments.of("replicas as text", base() + "replicaCount: two\n", "/replicaCount"),
        Arguments.of("no replicas", base() + "replicaCount: 0\n", "/replicaCount"),
        Arguments.of("a misspelt key", base() + "replicas: 2\n", "replicas"),
        Arguments.of(
            "metrics access unknown",
            base() + "auth: {disabled: true, metrics: open}\n",
            "metrics"),
        Arguments.of(
            "a digest that is not one",
            base() + "image: {repository: x, digest: latest}\n",
            "/image/digest"),
        Arguments.of(
            "Airflow without its DAGs volume",
            base()
                + "adapters: {airflow: {enabled: true, airflow: {url: 'http://airflow:8080'}}}\n",
            "dagsVolume"),
        Arguments.of(
            "Argo without argo-server",
            base() + "adapters: {argo: {enabled: true}}\n",
            "/adapters/argo/argo/url"),
        Arguments.of(
            "a public path without slash", base() + "publicPath: workflow-api\n", "publicPath"),
        Arguments.of(
            "a collector without a scheme",
            base() + "observability: {otlpEndpoint: 'otel-collector:4318'}\n",
            "/observability/otlpEndpoint"),
        Arguments.of("JSON logs as text", base() + "observability: {logJson: 'yes'}\n", "logJson"));
  }

  /** Values that render but for the one wrong value added to them. */
  private static String base() {
    return database() + "auth: {disabled: true}\n";
  }

  private static String database() {
    return "database: {url: 'jdbc:postgresql://db/x', existingSecret: db}\n";
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wrongValues")
  void wrongValuesAreRefusedWithWhatIsWrong(String what, String values, String named)
      throws Exception {
    Path file = Files.writeString(temp.resolve("wrong.yaml"), values);
    Command rendered = Chart.template(file);
    assertThat(rendered.exitCode()).as(what + " is refused").isNotZero();
    assertThat(rendered.err()).as("the message for " + what).contains(named);
  }
}
