package io.featureingest.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkEnv;

/**
 * The pipeline's figures, per table, in Spark's own metrics system, so its stock sinks (JMX,
 * Prometheus servlet, statsd, Graphite; see conf/metrics.properties) export them. Each table is a
 * source {@code featureingest.<table>} with counters {@code rows_read}, {@code rows_valid}, {@code
 * rows_quarantined}, {@code rows_written}, {@code rows_skipped_stale} (recorded on the driver) and
 * the timer {@code online_write_batch} (one sample per written batch, recorded on the executors).
 * Outside Spark the figures go to a source nobody reads, so recording never fails.
 */
public final class PipelineMetrics {
  // Keyed by the process's SparkEnv too: a new SparkContext in the same JVM registers anew.
  private static final Map<String, TableMetricsSource> SOURCES = new ConcurrentHashMap<>();

  private PipelineMetrics() {}

  /** Adds {@code n} to the counter {@code figure} of {@code table}. */
  public static void count(String table, String figure, long n) {
    if (n != 0) {
      source(table).metricRegistry().counter(figure).inc(n);
    }
  }

  /** Records the duration of one online write batch of {@code table}. */
  public static void onlineWrite(String table, long nanos) {
    source(table)
        .metricRegistry()
        .timer(TableMetricsSource.WRITE_TIMER)
        .update(nanos, TimeUnit.NANOSECONDS);
  }

  private static TableMetricsSource source(String table) {
    SparkEnv env = SparkEnv.get();
    String key = System.identityHashCode(env) + "/" + table;
    return SOURCES.computeIfAbsent(
        key,
        k -> {
          TableMetricsSource source = new TableMetricsSource(table);
          if (env != null) {
            env.metricsSystem().registerSource(source);
          }
          return source;
        });
  }
}
