package io.kaapana.workflow.service.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The methods each path of the API answers, for the {@code Allow} header a 405 must carry (RFC
 * 9110, 15.5.6): Quarkus REST refuses an unknown method without one. Read once from the resource
 * classes' annotations, so it cannot drift from them.
 */
@ApplicationScoped
public class AllowedMethods {
  private static final Map<Class<? extends Annotation>, String> METHODS =
      Map.of(
          GET.class, "GET",
          POST.class, "POST",
          PUT.class, "PUT",
          PATCH.class, "PATCH",
          DELETE.class, "DELETE",
          HEAD.class, "HEAD",
          OPTIONS.class, "OPTIONS");

  private record Route(Pattern path, String method) {}

  private final List<Route> routes = new ArrayList<>();

  AllowedMethods(BeanManager beans) {
    for (Bean<?> bean : beans.getBeans(Object.class, Any.Literal.INSTANCE)) {
      Class<?> type = bean.getBeanClass();
      Path root = type.getAnnotation(Path.class);
      if (root != null && type.getPackageName().equals(AllowedMethods.class.getPackageName())) {
        read(root.value(), type);
      }
    }
  }

  private void read(String root, Class<?> type) {
    for (Method method : type.getMethods()) {
      Path sub = method.getAnnotation(Path.class);
      String template = join(root, sub == null ? "" : sub.value());
      for (Map.Entry<Class<? extends Annotation>, String> http : METHODS.entrySet()) {
        if (method.isAnnotationPresent(http.getKey())) {
          routes.add(new Route(pattern(template), http.getValue()));
        }
      }
    }
  }

  /**
   * The {@code Allow} value for a path ({@code HEAD} with {@code GET}, {@code OPTIONS} always, as
   * the server answers them), or null when no resource has the path.
   */
  public String allowFor(String path) {
    Set<String> allowed = new TreeSet<>();
    for (Route route : routes) {
      if (route.path().matcher(path).matches()) {
        allowed.add(route.method());
      }
    }
    if (allowed.isEmpty()) {
      return null;
    }
    if (allowed.contains("GET")) {
      allowed.add("HEAD");
    }
    allowed.add("OPTIONS");
    return String.join(", ", allowed);
  }

  private static String join(String root, String sub) {
    String path = ("/" + root + "/" + sub).replaceAll("/+", "/");
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  /** {@code /v1/workflows/{id}} matches one segment per variable; the rest literally. */
  private static Pattern pattern(String template) {
    StringBuilder regex = new StringBuilder();
    int at = 0;
    while (at < template.length()) {
      int open = template.indexOf('{', at);
      if (open < 0) {
        regex.append(Pattern.quote(template.substring(at)));
        break;
      }
      regex.append(Pattern.quote(template.substring(at, open)));
      int close = template.indexOf('}', open);
      regex.append("[^/]+");
      at = close + 1;
    }
    return Pattern.compile(regex.toString() + "/?");
  }
}
