package io.featureingest.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.featureingest.cli.Main;
import io.featureingest.testing.RedisServer;
import io.featureingest.testing.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The materialize, materialize-incremental and online-get commands end to end, via cli.Main. */
class MaterializeJobTest {
  static final StructType SOURCE =
      StructType.fromDDL(
          "driver_id BIGINT, rating DOUBLE, trips INT, datetime TIMESTAMP, created TIMESTAMP, date STRING");

  @TempDir Path dir;
  Path config;

  @BeforeEach
  void writeConfig() throws Exception {
    config = dir.resolve("repo.conf");
    Files.writeString(
        config,
        """
        registry { path = "%1$s/registry" }
        online_store { type = sqlite, path = "%1$s/online.db", max_attempts = 2 }
        feature_tables {
          drivers {
            entities = [ { name = driver_id, type = INT64 } ]
            features = [ { name = rating, type = FLOAT }, { name = trips, type = INT32 } ]
            max_age = 2d
            batch_source {
              type = file, format = parquet, path = "%1$s/offline/drivers"
              event_timestamp_column = datetime
              created_timestamp_column = created
              date_partition_column = date
            }
          }
        }
        """
            .formatted(dir));
  }

  static Row row(long driver, Double rating, int trips, String event, String created) {
    Instant e = Instant.parse(event);
    return RowFactory.create(
        driver,
        rating,
        trips,
        Timestamp.from(e),
        created == null ? null : Timestamp.from(Instant.parse(created)),
        e.toString().substring(0, 10));
  }

  void append(Row... rows) {
    TestSpark.get()
        .createDataFrame(List.of(rows), SOURCE)
        .write()
        .mode(SaveMode.Append)
        .partitionBy("date")
        .parquet(dir.resolve("offline/drivers").toString());
  }

  record Run(int code, String out, String err) {}

  Run cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--config", config.toString()));
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int code = Main.run(all.toArray(String[]::new));
      return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void materializesLatestPerKeySkipsStaleAndServesOnlineGet() {
    append(
        row(1, 4.5, 10, "2025-01-02T10:00:00Z", "2025-01-02T11:00:00Z"),
        row(1, 4.8, 11, "2025-01-03T10:00:00Z", "2025-01-03T11:00:00Z"),
        // same event, later created: wins over the row above
        row(1, 4.9, 12, "2025-01-03T10:00:00Z", "2025-01-03T12:00:00Z"),
        row(2, null, 20, "2025-01-03T09:00:00Z", null),
        // older than end - max_age (2d): skipped
        row(3, 3.0, 30, "2025-01-01T00:00:00Z", null),
        // outside [start, end)
        row(4, 3.0, 40, "2025-01-05T00:00:00Z", null));
    Run run =
        cli("materialize", "drivers", "--start", "2024-12-30", "--end", "2025-01-04T00:00:00");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("\"rows_read\": 5")
        .contains("\"rows_skipped_stale\": 1")
        .contains("\"rows_written\": 2");

    Run again =
        cli("materialize", "drivers", "--start", "2024-12-30", "--end", "2025-01-04T00:00:00");
    assertThat(again.out()).contains("\"rows_written\": 0").contains("\"rows_not_newer\": 2");

    // online-get applies max_age against now, so check stored values through the Java API
    try (OnlineStore store =
        io.featureingest.online.sqlite.SqliteOnlineStore.opener(
                new io.featureingest.spec.SqliteStoreConfig(
                    dir.resolve("online.db").toString(), 100, 2, 1000))
            .open()) {
      OnlineTable t =
          new OnlineTable(
              "drivers",
              List.of("driver_id"),
              List.of(io.featureingest.spec.ValueType.INT64),
              List.of("rating", "trips"),
              List.of(io.featureingest.spec.ValueType.FLOAT, io.featureingest.spec.ValueType.INT32),
              0);
      var rows = store.read(t, List.of(List.of(1L), List.of(2L), List.of(3L)));
      assertThat(rows.get(0).orElseThrow().values()).containsExactly(4.9f, 12);
      assertThat(rows.get(1).orElseThrow().values()).containsExactly(null, 20);
      assertThat(rows.get(2)).isEmpty();
    }
    Run get = cli("online-get", "drivers", "--entity", "driver_id=1", "--features", "trips");
    assertThat(get.code()).as(get.err()).isZero();
    // written on 2025-01-03 with max_age 2d: older than now - max_age, so absent
    assertThat(get.out().trim())
        .isEqualTo(
            "{\"entity\": {\"driver_id\": 1},\"event_timestamp\": null,\"features\": {\"trips\": null}}");
  }

  @Test
  void onlineGetShowsFreshValues() {
    Instant now = Instant.now().minusSeconds(60);
    append(row(7, 1.5, 3, now.toString(), null));
    Run run =
        cli(
            "materialize",
            "drivers",
            "--start",
            now.minusSeconds(3600).toString(),
            "--end",
            now.plusSeconds(60).toString());
    assertThat(run.code()).as(run.err()).isZero();
    Run get = cli("online-get", "drivers", "--entity", "driver_id=7", "--entity", "driver_id=8");
    String[] lines = get.out().trim().split("\n");
    assertThat(lines[0])
        .contains("\"rating\": 1.5")
        .contains("\"trips\": 3")
        .contains(now.toString().substring(0, 19));
    assertThat(lines[1]).contains("\"event_timestamp\": null");
  }

  /**
   * A row ingested after run 1 with an event time before run 1's end is late: run 2 must pick it up
   * although its event time is before the watermark.
   */
  @Test
  void incrementalPicksUpLateRows() {
    Instant now = Instant.now();
    Instant end1 = now.minusSeconds(3600);
    append(row(1, 1.0, 1, end1.minusSeconds(600).toString(), now.minusSeconds(7200).toString()));
    Run first = cli("materialize-incremental", "drivers", "--end", end1.toString());
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out()).contains("\"rows_written\": 1");

    // late: event before end1, created (ingested) after run 1
    append(row(1, 2.0, 2, end1.minusSeconds(300).toString(), Instant.now().toString()));
    // in the new window
    append(row(5, 5.0, 5, end1.plusSeconds(60).toString(), Instant.now().toString()));
    Instant end2 = now.minusSeconds(60);
    Run second = cli("materialize-incremental", "drivers", "--end", end2.toString());
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(second.out()).contains("\"rows_late\": 1").contains("\"rows_written\": 2");
    Run get = cli("online-get", "drivers", "--entity", "driver_id=1", "--entity", "driver_id=5");
    assertThat(get.out()).contains("\"trips\": 2").contains("\"trips\": 5");

    Run backwards = cli("materialize-incremental", "drivers", "--end", end1.toString());
    assertThat(backwards.code()).isEqualTo(2);
    assertThat(backwards.err()).contains("watermark");
  }

  @Test
  void redisDownExitsFourNamingHostAndPort() {
    append(row(1, 1.0, 1, "2025-01-02T10:00:00Z", null));
    int port = RedisServer.freePort(false);
    Run run =
        cli(
            "materialize",
            "drivers",
            "--start",
            "2025-01-01",
            "--end",
            "2025-01-03",
            "--set",
            "online_store.type=redis",
            "--set",
            "online_store.host=127.0.0.1",
            "--set",
            "online_store.port=" + port,
            "--set",
            "online_store.max_attempts=2");
    assertThat(run.code()).as(run.err()).isEqualTo(4);
    assertThat(run.err()).contains("127.0.0.1:" + port);
  }
}
