package io.featureingest.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.featureingest.testing.TestSpark;
import java.lang.management.ManagementFactory;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/**
 * Our figures reach Spark's stock JMX sink through the plugin, as a monitoring agent reads them.
 */
class PipelineMetricsTest {
  @Test
  void countersAndTimersAreExportedOverJmx() throws Exception {
    TestSpark.get(); // starts Spark with the JMX sink
    PipelineMetrics.count("metrics_probe", "rows_written", 7);
    PipelineMetrics.count("metrics_probe", "rows_written", 5);
    PipelineMetrics.onlineWrite("metrics_probe", 3_000_000);

    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    Set<ObjectName> counters =
        server.queryNames(new ObjectName("metrics:name=*metrics_probe.rows_written,*"), null);
    assertThat(counters).hasSize(1);
    ObjectName counter = counters.iterator().next();
    assertThat(counter.getKeyProperty("name"))
        .contains(".driver.featureingest.metrics_probe.rows_written");
    assertThat(server.getAttribute(counter, "Count")).isEqualTo(12L);

    Set<ObjectName> timers =
        server.queryNames(new ObjectName("metrics:name=*metrics_probe.online_write_batch,*"), null);
    assertThat(timers).hasSize(1);
    assertThat(server.getAttribute(timers.iterator().next(), "Count")).isEqualTo(1L);
  }
}
