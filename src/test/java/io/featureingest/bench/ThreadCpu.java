package io.featureingest.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time of this JVM's threads by group, from /proc/self/task (Linux): the group is the thread's
 * name with digits and '#' dropped, so "GC Thread#0" and "GC Thread#1" add up. Covers the threads
 * ThreadMXBean does not see (GC, JIT compilers). Empty where /proc is missing.
 */
final class ThreadCpu {
  private static final double TICKS_PER_S = 100.0;

  private ThreadCpu() {}

  /** Group name to CPU seconds (user + system), for the threads alive now. */
  static Map<String, Double> snapshot() {
    Map<String, Double> out = new TreeMap<>();
    Path tasks = Path.of("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return out;
    }
    try (Stream<Path> list = Files.list(tasks)) {
      list.forEach(task -> add(out, task));
    } catch (IOException e) {
      return out;
    }
    return out;
  }

  /** after − before per group, groups under 10 ms left out, largest first. */
  static Map<String, Double> since(Map<String, Double> before) {
    Map<String, Double> after = snapshot();
    Map<String, Double> diff = new java.util.LinkedHashMap<>();
    after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0.0)))
        .filter(e -> e.getValue() >= 0.01)
        .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
        .forEach(e -> diff.put(e.getKey(), Math.round(e.getValue() * 100) / 100.0));
    return diff;
  }

  private static void add(Map<String, Double> out, Path task) {
    try {
      String stat = Files.readString(task.resolve("stat"));
      int open = stat.indexOf('(');
      int close = stat.lastIndexOf(')');
      String name = stat.substring(open + 1, close).replaceAll("[0-9#]", "").trim();
      String[] f = stat.substring(close + 2).split(" ");
      // fields after the name: state(0) ... utime(11) stime(12)
      double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_S;
      out.merge(name, cpu, Double::sum);
    } catch (IOException | RuntimeException e) {
      // the thread ended while being read
    }
  }
}
