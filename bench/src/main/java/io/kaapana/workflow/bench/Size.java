package io.kaapana.workflow.bench;

/**
 * How big a benchmark run is. {@code full} is the documented benchmark; {@code smoke} runs every
 * step in seconds so that CI keeps the benchmark working (its numbers mean nothing).
 *
 * @param name the name on the command line
 * @param runs runs in the seeded database
 * @param seconds how long each load step runs
 * @param warmupSeconds a load step's warm-up, not measured: long enough for the JIT compiler, which
 *     on two cores competes with the load (creation measured 580-720/s after 5 s of warm-up,
 *     1,450-1,510/s after 60 s)
 * @param claimRuns runs whose claim and first RUNNING report are timed
 * @param cancelRuns runs canceled by one bulk CANCEL
 * @param startups how often the service is started to time its start-up
 * @param subscribers live event streams open during the soak step
 */
record Size(
    String name,
    int runs,
    int seconds,
    int warmupSeconds,
    int claimRuns,
    int cancelRuns,
    int startups,
    int subscribers) {

  static final Size FULL = new Size("full", 1_000_000, 20, 20, 200, 10_000, 3, 2_000);
  static final Size SMOKE = new Size("smoke", 2_000, 2, 1, 10, 200, 1, 100);

  static Size named(String name) {
    return switch (name) {
      case "full" -> FULL;
      case "smoke" -> SMOKE;
      default -> throw new IllegalArgumentException("--size is full or smoke, got " + name);
    };
  }
}
