package io.kaapana.workflow.service.persistence;

import io.kaapana.workflow.core.domain.ErrorCode;
import io.kaapana.workflow.core.domain.WorkflowApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Keyset pagination: a page continues after the last row of the previous one by (sort value, id),
 * so pages stay stable while rows are inserted. The token is opaque to clients: base64url of
 * "order_by|direction|value|id".
 */
public record PageRequest(
    int limit,
    String orderBy,
    boolean descending,
    String afterValue,
    String afterId,
    boolean includeTotal) {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;

  /** Parses the common list parameters, refusing anything unknown with a 400 problem. */
  public static PageRequest parse(
      String limit,
      String pageToken,
      String orderBy,
      String order,
      String includeTotal,
      List<String> allowedOrderBy) {
    int n = DEFAULT_LIMIT;
    if (limit != null) {
      try {
        n = Integer.parseInt(limit.trim());
      } catch (NumberFormatException e) {
        throw badQuery(
            "limit must be a whole number from 1 to " + MAX_LIMIT + ", got '" + limit + "'");
      }
      if (n < 1 || n > MAX_LIMIT) {
        throw badQuery("limit must be from 1 to " + MAX_LIMIT + ", got " + n);
      }
    }
    String by = orderBy == null ? allowedOrderBy.get(0) : orderBy;
    if (!allowedOrderBy.contains(by)) {
      throw badQuery("order_by must be one of " + allowedOrderBy + ", got '" + orderBy + "'");
    }
    boolean desc = true;
    if (order != null) {
      if (order.equals("asc")) {
        desc = false;
      } else if (!order.equals("desc")) {
        throw badQuery("order must be 'asc' or 'desc', got '" + order + "'");
      }
    }
    boolean total = parseBoolean("include_total", includeTotal);
    String afterValue = null;
    String afterId = null;
    if (pageToken != null && !pageToken.isEmpty()) {
      String[] parts = decode(pageToken);
      if (parts.length != 4 || !parts[0].equals(by) || !parts[1].equals(desc ? "desc" : "asc")) {
        throw new WorkflowApiException(
            ErrorCode.INVALID_PAGE_TOKEN,
            "page_token does not belong to this listing: pass the same order_by and order as for"
                + " the first page, or start again without a page_token");
      }
      afterValue = parts[2];
      afterId = parts[3];
    }
    return new PageRequest(n, by, desc, afterValue, afterId, total);
  }

  public String tokenAfter(String value, String id) {
    String raw = orderBy + "|" + (descending ? "desc" : "asc") + "|" + value + "|" + id;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  private static String[] decode(String token) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      return raw.split("\\|", 4);
    } catch (IllegalArgumentException e) {
      throw new WorkflowApiException(
          ErrorCode.INVALID_PAGE_TOKEN, "page_token is not a token this service issued");
    }
  }

  public static boolean parseBoolean(String name, String value) {
    if (value == null) {
      return false;
    }
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> throw badQuery(name + " must be 'true' or 'false', got '" + value + "'");
    };
  }

  public static WorkflowApiException badQuery(String detail) {
    return new WorkflowApiException(ErrorCode.INVALID_QUERY, detail);
  }
}
