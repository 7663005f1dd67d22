package io.kaapana.workflow.adapter.kubeflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kaapana.workflow.adapter.spi.Deployment;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reading a compiled pipeline spec (KFP's IR YAML, as the kfp SDK's compiler writes it): the
 * document with the pipeline (a file may also hold a platform spec), and the task graph of its root
 * DAG. A task's title is its key in the root DAG (unique, and what KFP names its nodes after); its
 * display name is {@code taskInfo.name}; its type the component it runs, without {@code comp-}.
 */
final class PipelineSpecs {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private PipelineSpecs() {}

  /** The pipeline spec document, or an explanation why there is none. */
  record Parsed(JsonNode spec, String problem) {}

  static Parsed parse(String definition) {
    try (MappingIterator<JsonNode> documents =
        YAML.readerFor(JsonNode.class).readValues(definition)) {
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        if (document != null && (document.has("pipelineInfo") || document.has("root"))) {
          return new Parsed(document, null);
        }
      }
      return new Parsed(
          null, "no pipeline spec is provided (a compiled pipeline has pipelineInfo and root)");
    } catch (JsonProcessingException e) {
      return new Parsed(null, "the definition is not YAML: " + e.getOriginalMessage());
    } catch (IOException | RuntimeException e) {
      return new Parsed(null, "the definition is not YAML: " + e.getMessage());
    }
  }

  /** The tasks of the root DAG with their downstream tasks, in the spec's order. */
  static List<Deployment.TaskNode> taskGraph(JsonNode spec) {
    JsonNode tasks = spec.path("root").path("dag").path("tasks");
    Map<String, List<String>> downstream = new LinkedHashMap<>();
    tasks.fieldNames().forEachRemaining(name -> downstream.put(name, new ArrayList<>()));
    for (Iterator<Map.Entry<String, JsonNode>> it = tasks.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> task = it.next();
      for (JsonNode upstream : task.getValue().path("dependentTasks")) {
        List<String> below = downstream.get(upstream.asText());
        if (below != null) {
          below.add(task.getKey());
        }
      }
    }
    List<Deployment.TaskNode> graph = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = tasks.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> task = it.next();
      String component = task.getValue().path("componentRef").path("name").asText("");
      graph.add(
          new Deployment.TaskNode(
              task.getKey(),
              task.getValue().path("taskInfo").path("name").asText(task.getKey()),
              component.startsWith("comp-") ? component.substring(5) : component,
              List.copyOf(downstream.get(task.getKey()))));
    }
    return graph;
  }

  /** The titles of the root DAG's tasks. */
  static List<String> taskTitles(JsonNode spec) {
    List<String> titles = new ArrayList<>();
    spec.path("root").path("dag").path("tasks").fieldNames().forEachRemaining(titles::add);
    return titles;
  }
}
