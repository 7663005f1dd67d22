package io.kaapana.workflow.service.streams;

/** What may go into an SSE {@code id:} field. */
final class SseIds {
  static final int MAX_LENGTH = 2048;

  private SseIds() {}

  /**
   * The value itself when it is printable ASCII without line breaks (an adapter's cursor is opaque
   * to us and could hold a CR or LF that would forge frames); otherwise none: such a position
   * cannot be resumed from, but it cannot inject either.
   */
  static String safe(String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
      return null;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return null;
      }
    }
    return value;
  }
}
