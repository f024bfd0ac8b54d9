package io.featureingest.metrics;

import com.codahale.metrics.MetricRegistry;
import org.apache.spark.metrics.source.Source;

/**
 * One table's figures as a Spark metrics source named {@code featureingest.<table>}. Spark copies a
 * source's metrics when it is registered, so every figure exists before registration.
 */
final class TableMetricsSource implements Source {
  static final String[] COUNTERS = {
    "rows_read", "rows_valid", "rows_quarantined", "rows_written", "rows_skipped_stale"
  };
  static final String WRITE_TIMER = "online_write_batch";

  private final String name;
  private final MetricRegistry registry = new MetricRegistry();

  TableMetricsSource(String table) {
    this.name = "featureingest." + table;
    for (String counter : COUNTERS) {
      registry.counter(counter);
    }
    registry.timer(WRITE_TIMER);
  }

  @Override
  public String sourceName() {
    return name;
  }

  @Override
  public MetricRegistry metricRegistry() {
    return registry;
  }
}
