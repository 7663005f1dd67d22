package io.kaapana.workflow.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The table the benchmark prints: each load next to its floor, and the targets of the issue. */
final class Results {

  private record Row(
      String step,
      LoadTools.Load load,
      String floorName,
      LoadTools.Load floor,
      String target,
      Boolean met) {}

  private record Single(String name, double value, String how) {}

  private final Size size;
  private final String machine;
  private final List<Row> rows = new ArrayList<>();
  private final List<Single> singles = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  /** Requests that failed (non-2xx answers, socket errors) in all load steps. */
  long errors() {
    return rows.stream().mapToLong(row -> row.load().errors()).sum();
  }

  /** Steps measured, floors included. */
  int steps() {
    return rows.size();
  }

  Results(Size size, String machine) {
    this.size = size;
    this.machine = machine;
  }

  void load(
      String step,
      LoadTools.Load load,
      String floorName,
      LoadTools.Load floor,
      String target,
      Boolean met) {
    rows.add(new Row(step, load, floorName, floor, target, met));
    System.out.printf(
        Locale.ROOT,
        "  %-48s %9.0f/s  p50 %7.2f ms  p99 %7.2f ms  errors %d%s%n",
        step,
        load.perSecond(),
        load.p50Millis(),
        load.p99Millis(),
        load.errors(),
        floor == null
            ? ""
            : String.format(
                Locale.ROOT,
                "  (%.0f%% of %s)",
                100 * load.perSecond() / floor.perSecond(),
                floorName));
  }

  void single(String name, double value, String how) {
    singles.add(new Single(name, value, how));
    System.out.printf(Locale.ROOT, "  %-48s %9.2f  (%s)%n", name, value, how);
  }

  void note(String note) {
    notes.add(note);
    System.out.println("  " + note);
  }

  String markdown() {
    StringBuilder out = new StringBuilder();
    out.append("Benchmark `").append(size.name()).append("`: ").append(machine).append("\n\n");
    notes.forEach(note -> out.append("* ").append(note).append('\n'));
    out.append('\n');
    out.append("| Step | Throughput | p50 | p99 | Errors | Floor | Ratio to floor | Target |\n");
    out.append("|---|---|---|---|---|---|---|---|\n");
    for (Row row : rows) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %,.0f/s | %.2f ms | %.2f ms | %d | %s | %s | %s |%n",
              row.step(),
              row.load().perSecond(),
              row.load().p50Millis(),
              row.load().p99Millis(),
              row.load().errors(),
              row.floor() == null
                  ? "—"
                  : String.format(
                      Locale.ROOT,
                      "%s: %,.0f/s, p99 %.2f ms",
                      row.floorName(),
                      row.floor().perSecond(),
                      row.floor().p99Millis()),
              row.floor() == null
                  ? "—"
                  : String.format(
                      Locale.ROOT, "%.3f", row.load().perSecond() / row.floor().perSecond()),
              row.target() == null
                  ? ""
                  : row.target() + (row.met() == null ? "" : row.met() ? " ✓" : " ✗")));
    }
    out.append('\n');
    out.append("| Measure | Value | How |\n|---|---|---|\n");
    for (Single single : singles) {
      out.append(
          String.format(
              Locale.ROOT, "| %s | %.2f | %s |%n", single.name(), single.value(), single.how()));
    }
    return out.toString();
  }
}
