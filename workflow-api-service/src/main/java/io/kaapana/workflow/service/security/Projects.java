package io.kaapana.workflow.service.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaapana.workflow.core.domain.ErrorCode;
import io.kaapana.workflow.core.domain.Labels;
import io.kaapana.workflow.core.domain.WorkflowApiException;
import io.kaapana.workflow.core.domain.WorkflowRun;
import io.kaapana.workflow.core.port.in.AdapterCommands;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The project rules of runs: which project a new run goes to, and which runs a caller may see (any
 * other is answered as missing, so that nobody learns what another project holds).
 */
@ApplicationScoped
public class Projects {
  /** The header that names a run's project. */
  public static final String HEADER = "Kaapana-Project";

  /** What Kaapana's gateway sends today: a project name, or JSON with its {@code name}. */
  public static final String KAAPANA_HEADER = "Project";

  private static final int MAX_HEADER = 4096;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AuthSettings settings;
  private final AdapterCommands adapters;

  public Projects(AuthSettings settings, AdapterCommands adapters) {
    this.settings = settings;
    this.adapters = adapters;
  }

  /**
   * The project of a run the caller creates: the one a header names, which must be one of the
   * caller's; without a header the caller's only project, or the default one for a caller who sees
   * every project.
   */
  public String forNewRun(Caller caller, String projectHeader, String kaapanaHeader) {
    String named =
        projectHeader != null && !projectHeader.isBlank()
            ? name(projectHeader.trim(), HEADER)
            : kaapanaHeader != null && !kaapanaHeader.isBlank()
                ? name(kaapanaHeader.trim(), KAAPANA_HEADER)
                : null;
    if (named != null) {
      if (!caller.projects().includes(named)) {
        throw new Refusal(
            "you are not a member of project '"
                + named
                + "'; your projects: "
                + caller.projects().names());
      }
      return named;
    }
    if (caller.projects().isAll()) {
      return settings.defaultProject();
    }
    List<String> mine = caller.projects().names();
    if (mine.size() == 1) {
      return mine.get(0);
    }
    if (mine.isEmpty()) {
      throw new Refusal("your token names no project, so you cannot start runs");
    }
    throw new WorkflowApiException(
        ErrorCode.MALFORMED_REQUEST,
        "name the run's project in the "
            + HEADER
            + " header; you are a member of "
            + String.join(", ", mine));
  }

  /**
   * Whether the caller may see this run: a run of their projects, or one that an adapter they
   * registered holds.
   */
  public boolean visible(Caller caller, WorkflowRun run) {
    return caller.projects().sees(run.labels())
        || (caller.has(AccessRoles.ADAPTER)
            && run.adapterId() != null
            && adapters
                .find(run.adapterId())
                .map(a -> a.registeredBy(caller.subject()))
                .orElse(false));
  }

  private static String name(String value, String header) {
    if (value.length() > MAX_HEADER) {
      throw invalidHeader(header, "is longer than " + MAX_HEADER + " characters");
    }
    String text = value;
    if (text.startsWith("%7B") || text.startsWith("%7b")) {
      try {
        text = URLDecoder.decode(text, StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw invalidHeader(header, "is not a valid URL-encoded value");
      }
    }
    if (text.startsWith("{")) {
      try {
        JsonNode name = JSON.readTree(text).get("name");
        if (name == null || !name.isTextual()) {
          throw invalidHeader(header, "is JSON without a \"name\" string");
        }
        text = name.asText();
      } catch (IOException e) {
        throw invalidHeader(header, "starts with '{' but is not JSON");
      }
    }
    if (text.isEmpty() || Labels.valueProblem(text).isPresent()) {
      throw invalidHeader(
          header, "must name a project: at most 255 characters of [A-Za-z0-9._:@/+-]");
    }
    return text;
  }

  private static WorkflowApiException invalidHeader(String header, String problem) {
    return new WorkflowApiException(
        ErrorCode.MALFORMED_REQUEST, "the " + header + " header " + problem);
  }

  /** A project the caller may not use: 403 {@code forbidden}. */
  public static final class Refusal extends RuntimeException {
    public Refusal(String detail) {
      super(detail, null, false, false);
    }
  }
}
