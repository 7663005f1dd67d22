package io.kaapana.workflow.adapter.runtime;

import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.WorkflowAdapterFactory;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * Finds adapter factories through {@link ServiceLoader}: on the class path, and in the jars of a
 * plugin directory when one is configured.
 */
final class AdapterPlugins {
  private AdapterPlugins() {}

  static WorkflowAdapterFactory find(String kind, Path pluginDirectory) throws AdapterException {
    ClassLoader loader = loader(pluginDirectory);
    List<WorkflowAdapterFactory> all = new ArrayList<>();
    ServiceLoader.load(WorkflowAdapterFactory.class, loader).forEach(all::add);
    List<WorkflowAdapterFactory> matching = all.stream().filter(f -> f.id().equals(kind)).toList();
    if (matching.size() == 1) {
      return matching.get(0);
    }
    if (matching.isEmpty()) {
      throw new AdapterException(
          AdapterException.ErrorCode.INVALID_CONFIG,
          "no adapter '"
              + kind
              + "' is installed (found: "
              + (all.isEmpty()
                  ? "none"
                  : String.join(", ", all.stream().map(WorkflowAdapterFactory::id).toList()))
              + "); put its jar on the class path or in adapter.plugins");
    }
    throw new AdapterException(
        AdapterException.ErrorCode.INVALID_CONFIG,
        "several adapters have the id '"
            + kind
            + "': "
            + String.join(", ", matching.stream().map(f -> f.getClass().getName()).toList()));
  }

  private static ClassLoader loader(Path pluginDirectory) throws AdapterException {
    ClassLoader parent = AdapterPlugins.class.getClassLoader();
    if (pluginDirectory == null) {
      return parent;
    }
    try (Stream<Path> files = Files.walk(pluginDirectory, 2)) {
      List<URL> jars = new ArrayList<>();
      for (Path jar : files.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
        jars.add(jar.toUri().toURL());
      }
      return new PluginClassLoader(jars.toArray(URL[]::new), parent);
    } catch (IOException e) {
      throw new AdapterException(
          AdapterException.ErrorCode.INVALID_CONFIG,
          "cannot read the plugin directory " + pluginDirectory + ": " + e.getMessage(),
          e);
    }
  }
}
