package io.kaapana.workflow.service.persistence;

import io.kaapana.workflow.core.domain.ErrorCode;
import io.kaapana.workflow.core.domain.WorkflowApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.ToLongFunction;

/** Opaque page tokens for listings that page by one increasing number (seq, increment, id). */
public final class SeqToken {
  private SeqToken() {}

  public static String encode(long position) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(String.valueOf(position).getBytes(StandardCharsets.UTF_8));
  }

  /** The position a token names; {@code fallback} when there is no token. */
  public static long decode(String token, long fallback) {
    if (token == null || token.isEmpty()) {
      return fallback;
    }
    try {
      return Long.parseLong(
          new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new WorkflowApiException(
          ErrorCode.INVALID_PAGE_TOKEN, "page_token is not a token this service issued");
    }
  }

  /**
   * Cuts rows fetched with {@code limit + 1} to a page; the extra row's presence means there is a
   * next page, which starts after the last row kept.
   */
  public static <T> Page<T> page(List<T> rows, int limit, ToLongFunction<T> position) {
    if (rows.size() <= limit) {
      return new Page<>(List.copyOf(rows), null, null);
    }
    List<T> kept = List.copyOf(rows.subList(0, limit));
    return new Page<>(kept, encode(position.applyAsLong(kept.get(limit - 1))), null);
  }
}
