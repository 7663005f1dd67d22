package io.kaapana.workflow.client;

import io.kaapana.workflow.client.model.Page;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** Walks every page of a list lazily, following {@code next_page_token}. */
final class Pages {
  private Pages() {}

  static <T> Stream<T> all(Query query, Function<Query, Page<T>> fetch) {
    Iterator<T> iterator =
        new Iterator<>() {
          private Page<T> page = fetch.apply(query.copy());
          private int index;

          @Override
          public boolean hasNext() {
            while (index >= page.items().size()) {
              if (page.nextPageToken() == null) {
                return false;
              }
              page = fetch.apply(query.copy().pageToken(page.nextPageToken()));
              index = 0;
            }
            return true;
          }

          @Override
          public T next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            return page.items().get(index++);
          }
        };
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(iterator, Spliterator.ORDERED | Spliterator.NONNULL),
        false);
  }
}
