package io.kaapana.workflow.adapter.kubeflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.support.EngineAuth;
import io.kaapana.workflow.adapter.support.EngineClient;
import io.kaapana.workflow.adapter.support.EngineClient.Answer;
import java.util.Map;

/**
 * The KFP API server on the engine toolkit's {@link EngineClient}: a bearer token (a service
 * account's, which KFP checks with a TokenReview) and, in multi-user mode behind a trusted gateway,
 * the identity header; the explanation of a failure is grpc-gateway's {@code message}, or the
 * upload endpoint's {@code error_message}.
 */
final class KubeflowHttp {

  static final ObjectMapper JSON = EngineClient.JSON;
  static final String API = "/apis/v2beta1";

  private final EngineClient client;

  KubeflowHttp(KubeflowSettings settings) throws AdapterException {
    EngineClient.Builder builder =
        EngineClient.builder("the KFP API server", settings.url())
            .connectTimeout(settings.connectTimeout())
            .requestTimeout(settings.requestTimeout())
            .tls(settings.tls().context())
            .auth(
                settings.tokenSecret() == null
                    ? EngineAuth.none()
                    : EngineAuth.bearer(settings.tokenSecret()))
            .explanation(KubeflowHttp::message)
            .configurationHint("check the token, the user and the profile's permissions");
    if (settings.user() != null) {
      builder.header(settings.userHeader(), settings.user());
    }
    this.client = builder.build();
  }

  Answer send(String method, String path, Map<String, String> query, JsonNode body)
      throws AdapterException {
    return client.send(method, API + path, query, body);
  }

  JsonNode expect(String method, String path, Map<String, String> query, JsonNode body)
      throws AdapterException {
    return client.expect(method, API + path, query, body);
  }

  Answer upload(String path, Map<String, String> query, String fileName, byte[] content)
      throws AdapterException {
    return client.upload(API + path, query, "uploadfile", fileName, content);
  }

  AdapterException failure(String what, Answer answer) {
    return client.failure(what, answer);
  }

  /**
   * grpc-gateway's {@code message}, the upload endpoint's {@code error_message}, else the status.
   */
  static String message(Answer answer) {
    JsonNode body = answer.body();
    if (body != null) {
      for (String field : new String[] {"message", "error_message", "error"}) {
        if (body.path(field).isTextual() && !body.path(field).asText().isBlank()) {
          return body.path(field).asText();
        }
      }
    }
    String text = answer.text() == null ? "" : answer.text().strip();
    return text.isEmpty() ? "HTTP " + answer.status() : EngineClient.abbreviate(text);
  }
}
