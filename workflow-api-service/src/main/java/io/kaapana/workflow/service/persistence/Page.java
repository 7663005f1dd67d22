package io.kaapana.workflow.service.persistence;

import java.util.List;
import java.util.function.Function;

/** One page of a listing. */
public record Page<T>(List<T> items, String nextPageToken, Long total) {
  public <R> Page<R> map(Function<T, R> mapper) {
    return new Page<>(items.stream().map(mapper).toList(), nextPageToken, total);
  }
}
