package io.kaapana.workflow.adapter.support;

import io.kaapana.workflow.adapter.spi.AdapterException;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;

/**
 * Whom an adapter's TLS trusts, read the same way for every engine: {@code <engine>.ca-file} (PEM:
 * a cluster CA or the server's own certificate) or {@code <engine>.trust-store} (PKCS12 or JKS,
 * with {@code -password} and {@code -type}); neither means the JDK's own CA certificates.
 */
public record EngineTls(
    Path caFile, Path trustStore, String trustStorePassword, String trustStoreType) {

  /** The key of the trust store's password under {@code prefix} (such as {@code argo}): secret. */
  public static String passwordKey(String prefix) {
    return passwordKey(prefix, "");
  }

  /**
   * As {@link #passwordKey(String)}, for a second engine's TLS among an adapter's keys: {@code
   * <prefix>.<name>trust-store-password} (such as {@code kubeflow.argo-trust-store-password}).
   */
  public static String passwordKey(String prefix, String name) {
    return prefix + "." + name + "trust-store-password";
  }

  /** Reads the keys under {@code prefix}; both a CA file and a trust store is a problem. */
  public static EngineTls read(Settings settings, String prefix) {
    return read(settings, prefix, "");
  }

  /**
   * Reads {@code <prefix>.<name>ca-file}, {@code <prefix>.<name>trust-store} and so on: {@code
   * name} is empty for the adapter's engine, or names a second one (adapter keys have one dot).
   */
  public static EngineTls read(Settings settings, String prefix, String name) {
    String keys = prefix + "." + name;
    Path caFile = settings.readableFile(keys + "ca-file");
    Path trustStore = settings.readableFile(keys + "trust-store");
    if (settings.get(keys + "ca-file").isPresent()
        && settings.get(keys + "trust-store").isPresent()) {
      settings.problem("give " + keys + "ca-file or " + keys + "trust-store, not both");
    }
    return new EngineTls(
        caFile,
        trustStore,
        settings.get(passwordKey(prefix, name)).orElse(null),
        settings.get(keys + "trust-store-type", "PKCS12"));
  }

  /** The TLS context, or null for the JDK's default trust. */
  public SSLContext context() throws AdapterException {
    if (caFile != null) {
      return EngineHttp.trustingPem(caFile);
    }
    if (trustStore != null) {
      return EngineHttp.trustingStore(trustStore, trustStoreType, trustStorePassword);
    }
    return null;
  }

  @Override
  public String toString() {
    return "EngineTls[caFile=" + caFile + ", trustStore=" + trustStore + "]";
  }
}
