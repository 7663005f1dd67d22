package io.kaapana.workflow.adapter.argo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stub's own answers where the adapter's tests do not reach them. */
class ArgoServerStubTest {
  @TempDir Path directory;

  @Test
  void aWatchThatAllowsBookmarksEndsWithOneThatMatchesTheSwaggerDocuments() throws Exception {
    try (ArgoServerStub argo = ArgoServerStub.start(directory)) {
      HttpResponse<java.util.stream.Stream<String>> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              argo.url()
                                  + "/api/v1/workflow-events/kaapana?listOptions.timeoutSeconds=1"
                                  + "&listOptions.allowWatchBookmarks=true"
                                  + "&listOptions.resourceVersion=1000"))
                      .header("Authorization", "Bearer " + argo.token())
                      .build(),
                  HttpResponse.BodyHandlers.ofLines());
      List<String> lines = response.body().toList();

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(lines)
          .singleElement()
          .satisfies(
              line -> {
                var result = ArgoHttp.JSON.readTree(line).path("result");
                assertThat(result.path("type").asText()).isEqualTo("BOOKMARK");
                assertThat(result.path("object").path("metadata").path("resourceVersion").asText())
                    .isEqualTo("1000");
              });
      assertThat(argo.violations()).isEmpty();
    }
  }
}
