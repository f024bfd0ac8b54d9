package io.featureingest.stream;

import static io.featureingest.stream.StreamTables.online;
import static io.featureingest.stream.StreamTables.sqlite;
import static org.assertj.core.api.Assertions.assertThat;

import io.featureingest.job.FeatureStore;
import io.featureingest.online.OnlineStore;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.FileFormat;
import io.featureingest.testing.CliRun;
import io.featureingest.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code push} through the command line and the Java API: validation, quarantine, newer-wins. */
class PushTest {
  static final Instant T1 = Instant.parse("2024-05-01T10:00:00Z");
  static final Instant T2 = T1.plusSeconds(60);
  static final StructType INPUT =
      StructType.fromDDL(
          "driver_id BIGINT, rating DOUBLE, trips INT, status STRING, event_time TIMESTAMP");

  @TempDir Path dir;
  Path config;
  FeatureTable table;
  OnlineStore.Opener store;

  @BeforeEach
  void setUp() throws Exception {
    TestSpark.get(); // the CLI then reuses the test session instead of stopping its own
    config = dir.resolve("repo.conf");
    Files.writeString(
        config,
        """
        registry { path = "%1$s/registry" }
        online_store { type = sqlite, path = "%1$s/online.db" }
        validation { max_invalid_fraction = 0.5 }
        feature_tables {
          trips {
            entities = [ { name = driver_id, type = INT64 } ]
            features = [ { name = rating, type = DOUBLE }, { name = trips, type = INT32 },
                         { name = status, type = STRING } ]
            batch_source {
              type = file, format = parquet, path = "%1$s/offline"
              event_timestamp_column = event_time
              created_timestamp_column = created
            }
          }
        }
        """
            .formatted(dir));
    table = StreamTables.trips(dir.resolve("offline").toString(), FileFormat.PARQUET, null);
    store = sqlite(dir.resolve("online.db").toString());
  }

  Dataset<Row> rows(Object[]... rows) {
    return TestSpark.get()
        .createDataFrame(List.of(rows).stream().map(RowFactory::create).toList(), INPUT);
  }

  @Test
  void pushCommandValidatesQuarantinesAndWritesNewerWins() throws Exception {
    String input = dir.resolve("events.parquet").toString();
    rows(
            new Object[] {1L, 4.5, 11, "IDLE", Timestamp.from(T2)},
            new Object[] {1L, 4.0, 10, "ACTIVE", Timestamp.from(T1)},
            new Object[] {2L, 3.0, 5, "ACTIVE", Timestamp.from(T1)},
            new Object[] {null, 1.0, 1, "ACTIVE", Timestamp.from(T1)})
        .write()
        .parquet(input);

    CliRun run = CliRun.of("push", "trips", "--input", input, "--config", config.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.summaryLine())
        .contains("\"rows_read\": 4")
        .contains("\"rows_quarantined\": 1")
        .contains("\"rows_written\": 2");
    assertThat(online(store, table, 1, 2))
        .containsEntry(1L, List.of(4.5, 11, "IDLE", T2))
        .containsEntry(2L, List.of(3.0, 5, "ACTIVE", T1));
    Row dead =
        TestSpark.get().read().parquet(dir.resolve("offline/_quarantine").toString()).first();
    assertThat(dead.<String>getAs("reason")).isEqualTo("null entity driver_id");
  }

  @Test
  void javaApiNeverReplacesANewerValue() {
    FeatureStore fs = FeatureStore.open(config.toFile());
    Push.Result first =
        fs.writeToOnlineStore(
            "trips", rows(new Object[] {1L, 4.5, 11, "IDLE", Timestamp.from(T2)}));
    Push.Result older =
        fs.writeToOnlineStore(
            "trips", rows(new Object[] {1L, 1.0, 1, "ACTIVE", Timestamp.from(T1)}));

    assertThat(first.rowsWritten()).isEqualTo(1);
    assertThat(older.rowsWritten()).isZero();
    assertThat(older.rowsNotNewer()).isEqualTo(1);
    assertThat(online(store, table, 1)).containsEntry(1L, List.of(4.5, 11, "IDLE", T2));
  }
}
