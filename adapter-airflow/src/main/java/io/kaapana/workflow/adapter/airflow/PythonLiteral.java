package io.kaapana.workflow.adapter.airflow;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the one Python literal Airflow 2 puts in a log answer: a list of {@code (host, text)}
 * tuples, written by Python's {@code repr}. Not a Python parser: anything else is refused.
 */
final class PythonLiteral {

  private final String text;
  private int position;

  private PythonLiteral(String text) {
    this.text = text;
  }

  /** The second element of every pair, or null when the text is not such a literal. */
  static List<String> textsOfPairs(String text) {
    if (text == null) {
      return null;
    }
    PythonLiteral reader = new PythonLiteral(text.strip());
    try {
      return reader.pairs();
    } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
      return null;
    }
  }

  private List<String> pairs() {
    List<String> texts = new ArrayList<>();
    expect('[');
    skipBlanks();
    while (peek() != ']') {
      expect('(');
      skipBlanks();
      string(); // the host
      skipBlanks();
      expect(',');
      skipBlanks();
      texts.add(string());
      skipBlanks();
      if (peek() == ',') {
        position++;
        skipBlanks();
      }
      expect(')');
      skipBlanks();
      if (peek() == ',') {
        position++;
        skipBlanks();
      }
    }
    expect(']');
    if (position != text.length()) {
      throw new IllegalArgumentException("text after the list");
    }
    return texts;
  }

  private String string() {
    char quote = text.charAt(position);
    if (quote != '\'' && quote != '"') {
      throw new IllegalArgumentException("not a string at " + position);
    }
    position++;
    StringBuilder out = new StringBuilder();
    while (true) {
      char c = text.charAt(position++);
      if (c == quote) {
        return out.toString();
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char escaped = text.charAt(position++);
      switch (escaped) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case '0' -> out.append('\0');
        case 'a' -> out.append('\u0007');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'v' -> out.append('\u000b');
        case 'x' -> out.appendCodePoint(hex(2));
        case 'u' -> out.appendCodePoint(hex(4));
        case 'U' -> out.appendCodePoint(hex(8));
        case '\\', '\'', '"' -> out.append(escaped);
        default -> out.append('\\').append(escaped);
      }
    }
  }

  private int hex(int digits) {
    int value = Integer.parseInt(text.substring(position, position + digits), 16);
    position += digits;
    return value;
  }

  private char peek() {
    return text.charAt(position);
  }

  private void expect(char c) {
    if (text.charAt(position) != c) {
      throw new IllegalArgumentException("expected " + c + " at " + position);
    }
    position++;
  }

  private void skipBlanks() {
    while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
      position++;
    }
  }
}
