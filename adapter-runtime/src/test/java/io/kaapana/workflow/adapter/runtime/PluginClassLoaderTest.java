package io.kaapana.workflow.adapter.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaapana.workflow.adapter.spi.WorkflowAdapter;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginClassLoaderTest {
  @TempDir Path dir;

  /** A class that is on the runtime's class path and, as a copy, in the plugin's jar. */
  static final class Bundled {}

  @Test
  void aPluginsOwnCopyOfALibraryWinsButTheSpiIsTheRuntimes() throws Exception {
    String entry = Bundled.class.getName().replace('.', '/') + ".class";
    Path jar = dir.resolve("plugin.jar");
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file);
        InputStream in = Bundled.class.getClassLoader().getResourceAsStream(entry)) {
      out.putNextEntry(new JarEntry(entry));
      in.transferTo(out);
      out.closeEntry();
    }

    try (PluginClassLoader loader =
        new PluginClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader())) {
      assertThat(loader.loadClass(Bundled.class.getName()).getClassLoader()).isSameAs(loader);
      assertThat(loader.loadClass(WorkflowAdapter.class.getName())).isSameAs(WorkflowAdapter.class);
      assertThat(loader.loadClass(String.class.getName())).isSameAs(String.class);
      assertThat(loader.loadClass(ReconcilerTest.class.getName())).isSameAs(ReconcilerTest.class);
    }
  }
}
