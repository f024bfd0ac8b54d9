package io.featureingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.featureingest.testing.SparkSubmitRun;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store or stream source that is down, through the packaged jar and SparkSubmit with the
 * project's log4j2 config (issue 22): exit 4, one message naming it, and a short log.
 */
class UnreachableStoresIT {
  private static final String PASSWORD = "pw-that-must-not-be-logged";

  @TempDir Path work;

  /** A port on 127.0.0.1 that nothing listens on: bound, then closed. */
  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private Path config(int kafkaPort) throws Exception {
    Path conf = work.resolve("repo.conf");
    Files.writeString(
        conf,
        """
        registry.path = "data/registry"
        online_store { type = sqlite, path = "data/online.db" }
        feature_tables.drivers {
          entities = [ { name = driver_id, type = INT64 } ]
          features = [ { name = rating, type = DOUBLE } ]
          batch_source {
            type = file, format = parquet, path = "data/offline/drivers"
            event_timestamp_column = ts, created_timestamp_column = created
          }
          stream_source {
            type = kafka, bootstrap_servers = "127.0.0.1:%d", topic = drivers
            format { type = avro, schema_json = \"""{"type": "record", "name": "D", "fields": [
              {"name": "driver_id", "type": "long"}, {"name": "rating", "type": "double"},
              {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-millis"}}]}\""" }
            event_timestamp_column = ts
          }
        }
        """
            .formatted(kafkaPort));
    return conf;
  }

  private static List<String> lines(SparkSubmitRun run) {
    // Spark's progress bar redraws one line with \r; count what a terminal or a log file keeps.
    return (run.out() + "\n" + run.err())
        .lines()
        .map(l -> l.substring(l.lastIndexOf('\r') + 1))
        .filter(l -> !l.isBlank() && !l.startsWith("[Stage "))
        .toList();
  }

  @Test
  void materializeIntoARedisThatIsDownLogsOneLinePerFailedTaskAndExitsFour() throws Exception {
    Path conf = config(closedPort());
    StringBuilder csv = new StringBuilder("driver_id,rating,ts\n");
    for (int id = 1; id <= 200; id++) {
      csv.append(id).append(',').append(id / 10.0).append(",2024-05-01 10:00:00\n");
    }
    Files.writeString(work.resolve("drivers.csv"), csv);
    SparkSubmitRun ingest =
        SparkSubmitRun.of(
            work,
            "ingest",
            "drivers",
            "--input",
            "drivers.csv",
            "--input-format",
            "csv",
            "--config",
            conf.toString());
    assertThat(ingest.exitCode()).as(ingest.err()).isZero();

    int redis = closedPort();
    SparkSubmitRun run =
        SparkSubmitRun.of(
            work,
            "materialize",
            "drivers",
            "--start",
            "2024-05-01T00:00:00Z",
            "--end",
            "2024-05-02T00:00:00Z",
            "--config",
            conf.toString(),
            "--set",
            "online_store.type=redis",
            "--set",
            "online_store.host=127.0.0.1",
            "--set",
            "online_store.port=" + redis,
            "--set",
            "online_store.password=" + PASSWORD);

    assertThat(run.exitCode()).as(run.err()).isEqualTo(4);
    assertThat(run.err())
        .contains("feature-ingest: online store redis 127.0.0.1:" + redis + " is unreachable");
    assertThat(run.out() + run.err()).doesNotContain(PASSWORD);
    List<String> lines = lines(run);
    // Was about 290 lines: each failed task's frames from the executor and the scheduler.
    assertThat(lines).as(run.err()).noneMatch(l -> l.startsWith("\tat ") || l.startsWith("\t..."));
    assertThat(lines).as(run.err()).noneMatch(l -> l.startsWith("Caused by: "));
    assertThat(lines.stream().filter(l -> l.contains(" ERROR Executor: Exception in task")))
        .as(run.err())
        .isNotEmpty()
        .allMatch(l -> l.contains("StoreUnavailableException: online store redis"));
    // Five attempts per writing task (one line each), two lines per failed task, a few more.
    assertThat(lines).as(run.err()).hasSizeLessThan(80);
  }

  @Test
  void streamFromAKafkaBrokerThatIsDownExitsFourWithinTheDefaultTimeout() throws Exception {
    int kafka = closedPort();
    Path conf = config(kafka);

    long started = System.nanoTime();
    SparkSubmitRun run =
        SparkSubmitRun.of(
            work, "stream", "drivers", "--available-now", "--config", conf.toString());
    long seconds = (System.nanoTime() - started) / 1_000_000_000L;

    assertThat(run.exitCode()).as(run.err()).isEqualTo(4);
    assertThat(run.err())
        .contains(
            "feature-ingest: stream source of table drivers: Kafka at bootstrap servers 127.0.0.1:"
                + kafka
                + " (topic drivers) is unreachable: no answer within 15000 ms");
    List<String> lines = lines(run);
    assertThat(lines).as(run.err()).noneMatch(l -> l.startsWith("\tat "));
    assertThat(lines).as(run.err()).hasSizeLessThan(10);
    // JVM and Spark start, then the 15 s probe; it was over 3 minutes of retries.
    assertThat(seconds).as("seconds until exit 4").isLessThan(120);
  }
}
