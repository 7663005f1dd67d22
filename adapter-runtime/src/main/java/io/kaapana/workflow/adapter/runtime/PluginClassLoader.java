package io.kaapana.workflow.adapter.runtime;

import java.net.URL;
import java.net.URLClassLoader;

/**
 * The class loader of adapter plugins: the JDK and the SPI come from the runtime (parent first), so
 * that the runtime and the plugin agree on the SPI's types; everything else is looked up in the
 * plugin's jars first, so a plugin can bring its own versions of libraries the runtime also uses
 * (Jackson, say).
 */
final class PluginClassLoader extends URLClassLoader {
  private static final String[] PARENT_FIRST = {
    "java.", "javax.", "jdk.", "sun.", "com.sun.", "io.kaapana.workflow.adapter.spi."
  };

  static {
    registerAsParallelCapable();
  }

  PluginClassLoader(URL[] jars, ClassLoader parent) {
    super("adapter-plugins", jars, parent);
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (parentFirst(name)) {
      return super.loadClass(name, resolve);
    }
    synchronized (getClassLoadingLock(name)) {
      Class<?> loaded = findLoadedClass(name);
      if (loaded == null) {
        try {
          loaded = findClass(name);
        } catch (ClassNotFoundException notInThePlugin) {
          loaded = getParent().loadClass(name);
        }
      }
      if (resolve) {
        resolveClass(loaded);
      }
      return loaded;
    }
  }

  private static boolean parentFirst(String name) {
    for (String prefix : PARENT_FIRST) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
