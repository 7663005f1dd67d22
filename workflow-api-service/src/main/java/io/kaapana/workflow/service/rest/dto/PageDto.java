package io.kaapana.workflow.service.rest.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.kaapana.workflow.service.persistence.Page;
import java.util.List;
import java.util.function.Function;

/** {@code {"items": [...], "next_page_token": "…" | null}}, plus {@code total} on request. */
public record PageDto<T>(
    List<T> items, String nextPageToken, @JsonInclude(JsonInclude.Include.NON_NULL) Long total) {
  public static <S, T> PageDto<T> of(Page<S> page, Function<S, T> mapper) {
    return new PageDto<>(
        page.items().stream().map(mapper).toList(), page.nextPageToken(), page.total());
  }
}
