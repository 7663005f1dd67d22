package io.kaapana.workflow.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Runs the maintained load tools ({@code wrk}, {@code pgbench}) and reads their reports. */
final class LoadTools {

  /** Throughput per second and latency percentiles in milliseconds. */
  record Load(double perSecond, double p50Millis, double p99Millis, long requests, long errors) {}

  private static final Pattern WRK_RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern WRK_REQUESTS = Pattern.compile("(\\d+) requests in");
  private static final Pattern WRK_PERCENTILE =
      Pattern.compile("^\\s+(50|99)(?:\\.000)?%\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);
  private static final Pattern WRK_NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
  private static final Pattern WRK_SOCKET_ERRORS =
      Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
  private static final Pattern PGBENCH_TPS =
      Pattern.compile("tps = ([0-9.]+) \\((?:without initial connection time|excluding)");

  private LoadTools() {}

  /** The tools must be installed: a missing one is a clear failure, never a skipped step. */
  static void requireInstalled() throws IOException, InterruptedException {
    for (String tool : List.of("wrk", "pgbench")) {
      Process probe =
          new ProcessBuilder("sh", "-c", "command -v " + tool).redirectErrorStream(true).start();
      if (probe.waitFor() != 0) {
        throw new IllegalStateException(
            tool
                + " is not installed; on Debian: apt-get install -y wrk postgresql-client"
                + " (.ci/run installs both)");
      }
    }
  }

  /** {@code wrk} at a fixed number of connections, with a Lua script (or none) for the requests. */
  static Load wrk(String url, Path script, int connections, int seconds, Path workDirectory)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("wrk", "-t", "2", "-c", "" + connections));
    command.addAll(List.of("-d", seconds + "s", "--latency", "--timeout", "10s"));
    if (script != null) {
      command.addAll(List.of("-s", script.toString()));
    }
    command.add(url);
    String out = run(command, workDirectory);
    Matcher rate = WRK_RATE.matcher(out);
    Matcher requests = WRK_REQUESTS.matcher(out);
    if (!rate.find() || !requests.find()) {
      throw new IllegalStateException("wrk gave no result:\n" + out);
    }
    double p50 = Double.NaN;
    double p99 = Double.NaN;
    Matcher percentile = WRK_PERCENTILE.matcher(out);
    while (percentile.find()) {
      double millis = millis(Double.parseDouble(percentile.group(2)), percentile.group(3));
      if (percentile.group(1).equals("50")) {
        p50 = millis;
      } else {
        p99 = millis;
      }
    }
    long errors = 0;
    Matcher non2xx = WRK_NON_2XX.matcher(out);
    if (non2xx.find()) {
      errors += Long.parseLong(non2xx.group(1));
    }
    Matcher socket = WRK_SOCKET_ERRORS.matcher(out);
    if (socket.find()) {
      for (int group = 1; group <= 4; group++) {
        errors += Long.parseLong(socket.group(group));
      }
    }
    return new Load(
        Double.parseDouble(rate.group(1)), p50, p99, Long.parseLong(requests.group(1)), errors);
  }

  /**
   * {@code pgbench} with a custom script, per-transaction logs for the percentiles (pgbench itself
   * reports only the average).
   */
  static Load pgbench(Database database, Path script, int clients, int seconds, Path workDirectory)
      throws IOException, InterruptedException {
    Path logs = Files.createDirectories(workDirectory.resolve("pgbench-" + script.getFileName()));
    try (Stream<Path> old = Files.list(logs)) {
      for (Path file : old.toList()) {
        Files.delete(file);
      }
    }
    List<String> command =
        List.of(
            "pgbench",
            "-n",
            "-c",
            "" + clients,
            "-j",
            "2",
            "-T",
            "" + seconds,
            "-f",
            script.toString(),
            "-l",
            "--log-prefix",
            logs.resolve("tx").toString(),
            "-h",
            "localhost",
            "-p",
            "" + database.port(),
            "-U",
            database.user(),
            database.name());
    String out = run(command, workDirectory);
    Matcher tps = PGBENCH_TPS.matcher(out);
    if (!tps.find()) {
      throw new IllegalStateException("pgbench gave no result:\n" + out);
    }
    List<Double> latencies = new ArrayList<>();
    try (Stream<Path> files = Files.list(logs)) {
      for (Path file : files.toList()) {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          String[] fields = line.split(" ");
          if (fields.length >= 3) {
            latencies.add(Long.parseLong(fields[2]) / 1000.0);
          }
        }
      }
    }
    Collections.sort(latencies);
    return new Load(
        Double.parseDouble(tps.group(1)),
        percentile(latencies, 50),
        percentile(latencies, 99),
        latencies.size(),
        0);
  }

  static double percentile(List<Double> sorted, double percent) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  private static double millis(double value, String unit) {
    return switch (unit) {
      case "us" -> value / 1000.0;
      case "s" -> value * 1000.0;
      default -> value;
    };
  }

  private static String run(List<String> command, Path workDirectory)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command)
            .directory(workDirectory.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
    }
    return out;
  }
}
