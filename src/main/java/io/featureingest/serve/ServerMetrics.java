package io.featureingest.serve;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's Prometheus metrics, served as text at {@code GET /metrics}:
 *
 * <ul>
 *   <li>{@code feature_server_requests_total{endpoint, code}}: requests answered;
 *   <li>{@code feature_server_request_duration_seconds{endpoint}}: a histogram of the time from the
 *       request's arrival at the handler to its answer written;
 *   <li>{@code feature_server_feature_values_total{status}}: feature values served, by Feast's
 *       field status (PRESENT, NULL_VALUE, NOT_FOUND, OUTSIDE_MAX_AGE);
 *   <li>{@code feature_server_entity_rows_total}: entity rows read;
 *   <li>{@code feature_server_pushed_rows_total{result}}: rows of {@code /push}, written or
 *       not_newer (an equal or newer version was stored, rule 4).
 * </ul>
 *
 * Written by hand rather than with a client library: a few counters and one fixed-bucket histogram,
 * updated with {@link LongAdder}s so that request threads do not contend, and no jar to add beside
 * Spark's classpath.
 */
final class ServerMetrics {
  /** Upper bounds in seconds: the latency targets (2 ms, 5 ms) fall on bucket edges. */
  private static final double[] BUCKETS = {
    0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10
  };

  static final String[] STATUSES = {"PRESENT", "NULL_VALUE", "NOT_FOUND", "OUTSIDE_MAX_AGE"};

  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<String, Histogram> durations = new ConcurrentHashMap<>();
  private final LongAdder[] values = new LongAdder[STATUSES.length];
  private final LongAdder entityRows = new LongAdder();
  private final LongAdder pushedWritten = new LongAdder();
  private final LongAdder pushedNotNewer = new LongAdder();

  ServerMetrics() {
    for (int i = 0; i < values.length; i++) {
      values[i] = new LongAdder();
    }
  }

  private static final class Histogram {
    final LongAdder[] counts = new LongAdder[BUCKETS.length + 1];
    final DoubleAdder sum = new DoubleAdder();

    Histogram() {
      for (int i = 0; i < counts.length; i++) {
        counts[i] = new LongAdder();
      }
    }

    void observe(double seconds) {
      int i = 0;
      while (i < BUCKETS.length && seconds > BUCKETS[i]) {
        i++;
      }
      counts[i].increment();
      sum.add(seconds);
    }
  }

  void request(String endpoint, int code, long nanos) {
    requests.computeIfAbsent(endpoint + "\u0000" + code, k -> new LongAdder()).increment();
    durations.computeIfAbsent(endpoint, k -> new Histogram()).observe(nanos / 1e9);
  }

  /** Adds per-status counts, indexed as {@link #STATUSES}. */
  void values(long[] byStatus, int rows) {
    for (int i = 0; i < byStatus.length; i++) {
      values[i].add(byStatus[i]);
    }
    entityRows.add(rows);
  }

  void pushed(long written, long notNewer) {
    pushedWritten.add(written);
    pushedNotNewer.add(notNewer);
  }

  /** The Prometheus text exposition format, version 0.0.4. */
  String text() {
    StringBuilder out = new StringBuilder(2048);
    out.append(
            "# HELP feature_server_requests_total Requests answered, by endpoint and HTTP status.\n")
        .append("# TYPE feature_server_requests_total counter\n");
    new java.util.TreeMap<>(requests)
        .forEach(
            (key, count) -> {
              int cut = key.indexOf('\u0000');
              out.append("feature_server_requests_total{endpoint=\"")
                  .append(key, 0, cut)
                  .append("\",code=\"")
                  .append(key, cut + 1, key.length())
                  .append("\"} ")
                  .append(count.sum())
                  .append('\n');
            });
    out.append(
            "# HELP feature_server_request_duration_seconds Time from a request's arrival to its answer.\n")
        .append("# TYPE feature_server_request_duration_seconds histogram\n");
    new java.util.TreeMap<>(durations)
        .forEach(
            (endpoint, h) -> {
              long cumulative = 0;
              for (int i = 0; i <= BUCKETS.length; i++) {
                cumulative += h.counts[i].sum();
                out.append("feature_server_request_duration_seconds_bucket{endpoint=\"")
                    .append(endpoint)
                    .append("\",le=\"")
                    .append(i < BUCKETS.length ? Double.toString(BUCKETS[i]) : "+Inf")
                    .append("\"} ")
                    .append(cumulative)
                    .append('\n');
              }
              String label = "{endpoint=\"" + endpoint + "\"} ";
              out.append("feature_server_request_duration_seconds_sum")
                  .append(label)
                  .append(h.sum.sum())
                  .append('\n');
              out.append("feature_server_request_duration_seconds_count")
                  .append(label)
                  .append(cumulative)
                  .append('\n');
            });
    out.append(
            "# HELP feature_server_feature_values_total Feature values served, by Feast field status.\n")
        .append("# TYPE feature_server_feature_values_total counter\n");
    for (int i = 0; i < STATUSES.length; i++) {
      out.append("feature_server_feature_values_total{status=\"")
          .append(STATUSES[i])
          .append("\"} ")
          .append(values[i].sum())
          .append('\n');
    }
    out.append("# HELP feature_server_entity_rows_total Entity rows read.\n")
        .append("# TYPE feature_server_entity_rows_total counter\n")
        .append("feature_server_entity_rows_total ")
        .append(entityRows.sum())
        .append('\n');
    out.append(
            "# HELP feature_server_pushed_rows_total Rows of /push: written, or not newer than the stored row.\n")
        .append("# TYPE feature_server_pushed_rows_total counter\n")
        .append("feature_server_pushed_rows_total{result=\"written\"} ")
        .append(pushedWritten.sum())
        .append('\n')
        .append("feature_server_pushed_rows_total{result=\"not_newer\"} ")
        .append(pushedNotNewer.sum())
        .append('\n');
    return out.toString();
  }
}
