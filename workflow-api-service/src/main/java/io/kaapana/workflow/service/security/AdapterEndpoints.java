package io.kaapana.workflow.service.security;

import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which log endpoints an adapter may register: the service calls them, so an endpoint outside this
 * list (a cloud metadata address, another tenant's service) would let anyone who can register make
 * the service call it. Entries of {@code kaapana.adapters.endpoint-allow}, comma-separated: {@code
 * loopback} (127.0.0.0/8, ::1, localhost), {@code cluster} (Kubernetes service names {@code *.svc}
 * and {@code *.cluster.local}; not bare names, which a node's DNS search list may turn into a
 * metadata server), a CIDR of IP literals ({@code 10.0.0.0/8}), {@code *.suffix}, or a host name.
 * Names are not resolved: a name is allowed by what it says, an address by where it is; an address
 * in any other spelling than four decimal parts or IPv6 is refused.
 */
@ApplicationScoped
public class AdapterEndpoints {
  private static final Pattern IPV4 = Pattern.compile("[0-9.]+");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]*:[0-9a-f:.]*");

  private final String setting;
  private final List<String> suffixes = new ArrayList<>();
  private final List<String> names = new ArrayList<>();
  private final List<Cidr> networks = new ArrayList<>();

  public AdapterEndpoints(
      @ConfigProperty(name = "kaapana.adapters.endpoint-allow", defaultValue = "loopback,cluster")
          String setting) {
    this.setting = setting;
    for (String raw : setting.split(",")) {
      String entry = raw.trim().toLowerCase(Locale.ROOT);
      if (entry.isEmpty()) {
        continue;
      }
      switch (entry) {
        case "loopback" -> {
          networks.add(Cidr.parse("127.0.0.0/8"));
          networks.add(Cidr.parse("::1/128"));
          names.add("localhost");
        }
        case "cluster" -> {
          suffixes.add(".svc");
          suffixes.add(".cluster.local");
        }
        default -> {
          if (entry.contains("/")) {
            networks.add(Cidr.parse(entry));
          } else if (entry.startsWith("*.")) {
            suffixes.add(entry.substring(1));
          } else {
            names.add(entry);
          }
        }
      }
    }
  }

  /** The setting as written, for messages. */
  public String setting() {
    return setting;
  }

  /** Whether the service may call {@code endpoint}. */
  public boolean allows(URI endpoint) {
    String host = endpoint.getHost();
    if (host == null) {
      return false;
    }
    host = host.toLowerCase(Locale.ROOT);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (IPV4.matcher(host).matches() || IPV6.matcher(host).matches()) {
      byte[] address = literal(host);
      return address != null && networks.stream().anyMatch(n -> n.contains(address));
    }
    if (names.contains(host)) {
      return true;
    }
    for (String suffix : suffixes) {
      if (host.endsWith(suffix) && host.length() > suffix.length()) {
        return true;
      }
    }
    return false;
  }

  /**
   * An IP literal's bytes, or null. IPv4 only as four decimal parts (so no lookup and no legacy
   * spelling such as {@code 127.1}); IPv6 through the JDK, which never looks up a text with a
   * colon.
   */
  private static byte[] literal(String host) {
    if (IPV4.matcher(host).matches()) {
      String[] parts = host.split("\\.", -1);
      if (parts.length != 4) {
        return null;
      }
      byte[] address = new byte[4];
      for (int i = 0; i < 4; i++) {
        if (parts[i].isEmpty() || parts[i].length() > 3) {
          return null;
        }
        int value = Integer.parseInt(parts[i]);
        if (value > 255) {
          return null;
        }
        address[i] = (byte) value;
      }
      return address;
    }
    try {
      return InetAddress.getByName(host).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private record Cidr(byte[] network, int bits) {
    static Cidr parse(String text) {
      String[] parts = text.split("/", 2);
      byte[] address =
          IPV4.matcher(parts[0]).matches() || IPV6.matcher(parts[0]).matches()
              ? literal(parts[0])
              : null;
      if (address == null || parts.length != 2 || !parts[1].matches("[0-9]{1,3}")) {
        throw new IllegalArgumentException(
            "kaapana.adapters.endpoint-allow: '" + text + "' is not a CIDR");
      }
      int bits = Integer.parseInt(parts[1]);
      if (bits < 0 || bits > address.length * 8) {
        throw new IllegalArgumentException(
            "kaapana.adapters.endpoint-allow: '" + text + "' has a prefix out of range");
      }
      return new Cidr(address, bits);
    }

    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int shift = network.length * 8 - bits;
      BigInteger mine = new BigInteger(1, network).shiftRight(shift);
      BigInteger theirs = new BigInteger(1, address).shiftRight(shift);
      return mine.equals(theirs);
    }
  }
}
