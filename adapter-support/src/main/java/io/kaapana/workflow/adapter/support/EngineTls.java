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
    return prefix + ".trust-store-password";
  }

  /** Reads the keys under {@code prefix}; both a CA file and a trust store is a problem. */
  public static EngineTls read(Settings settings, String prefix) {
    Path caFile = settings.readableFile(prefix + ".ca-file");
    Path trustStore = settings.readableFile(prefix + ".trust-store");
    if (settings.get(prefix + ".ca-file").isPresent()
        && settings.get(prefix + ".trust-store").isPresent()) {
      settings.problem("give " + prefix + ".ca-file or " + prefix + ".trust-store, not both");
    }
    return new EngineTls(
        caFile,
        trustStore,
        settings.get(passwordKey(prefix)).orElse(null),
        settings.get(prefix + ".trust-store-type", "PKCS12"));
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
