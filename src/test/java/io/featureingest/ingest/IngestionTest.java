package io.featureingest.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featureingest.job.OfflineStores;
import io.featureingest.spec.DataContractException;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.FileFormat;
import io.featureingest.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestionTest {
  private static final String[] CSV = {
    "datetime", "driver_id", "average_daily_rides", "driver_rating", "maximum_daily_rides"
  };
  private final SparkSession spark = TestSpark.get();
  @TempDir Path dir;

  private static IngestOptions at(String instant) {
    return IngestOptions.defaults()
        .withRun("run-" + instant.substring(0, 10), Instant.parse(instant));
  }

  private static Dataset<Row> rows(String[]... rows) {
    return Tables.strings(CSV, rows);
  }

  private static String[] row(String ts, String id, String rides) {
    return new String[] {ts, id, rides, "4.5", "10"};
  }

  private Dataset<Row> stored(FeatureTable t) {
    return OfflineStores.of(t).read(spark);
  }

  @Test
  void missingParquetTargetIsCreatedPartitionedByEventDateAndWindowReadPrunes() {
    FeatureTable t = Tables.driverTrips(dir.resolve("trips").toString());
    IngestResult r =
        Tables.ingest(
            spark,
            t,
            rows(row("2019-01-01 23:00:00", "1", "1.0"), row("2019-01-02T01:00:00Z", "2", "2.0")),
            at("2024-01-01T00:00:00Z"));
    assertThat(r.rowsRead()).isEqualTo(2);
    assertThat(r.rowsWritten()).isEqualTo(2);
    assertThat(r.quarantinePath()).isEmpty();
    assertThat(dir.resolve("trips/date=2019-01-01")).isDirectory();
    assertThat(dir.resolve("trips/date=2019-01-02")).isDirectory();
    Dataset<Row> window =
        OfflineStores.of(t)
            .read(
                spark,
                Instant.parse("2019-01-02T00:00:00Z"),
                Instant.parse("2019-01-03T00:00:00Z"));
    assertThat(window.collectAsList()).extracting(x -> x.getAs("driver_id")).containsExactly(2L);
    Row first = stored(t).where("driver_id = 1").first();
    assertThat(first.<java.sql.Timestamp>getAs("created").toInstant())
        .isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
  }

  @Test
  void laterIngestionWinsThroughTheCreatedTimestamp() {
    FeatureTable t = Tables.driverTrips(dir.resolve("trips").toString());
    Tables.ingest(
        spark, t, rows(row("2019-01-01 01:00:00", "1", "1.0")), at("2024-01-01T00:00:00Z"));
    Tables.ingest(
        spark, t, rows(row("2019-01-01 01:00:00", "1", "9.0")), at("2024-01-02T00:00:00Z"));
    Row latest = stored(t).orderBy(org.apache.spark.sql.functions.col("created").desc()).first();
    assertThat(latest.<Float>getAs("average_daily_rides")).isEqualTo(9.0f);
    assertThat(stored(t).count()).isEqualTo(2);
  }

  @Test
  void givenCreatedTimestampIsKept() {
    FeatureTable t = Tables.driverTrips(dir.resolve("trips").toString());
    Dataset<Row> in =
        Tables.strings(
            new String[] {
              "datetime",
              "driver_id",
              "average_daily_rides",
              "driver_rating",
              "maximum_daily_rides",
              "created"
            },
            new String[] {"2019-01-01 01:00:00", "1", "1", "1", "1", "2020-05-05T00:00:00Z"});
    Tables.ingest(spark, t, in, at("2024-01-01T00:00:00Z"));
    assertThat(stored(t).first().<java.sql.Timestamp>getAs("created").toInstant())
        .isEqualTo(Instant.parse("2020-05-05T00:00:00Z"));
  }

  @Test
  void invalidFractionOverThresholdFailsWithNothingCommittedButQuarantineWritten() {
    FeatureTable t = Tables.driverTrips(dir.resolve("trips").toString());
    Dataset<Row> in =
        rows(
            row("2019-01-01 01:00:00", "1", "1.0"),
            row("xyz", "2", "1.0"),
            row("2019-01-01 01:00:00", null, "1.0"),
            row("2019-01-01 01:00:00", "4", "1.0"));
    assertThatThrownBy(() -> Tables.ingest(spark, t, in, at("2024-01-01T00:00:00Z")))
        .isInstanceOf(DataContractException.class)
        .hasMessageContaining("2 of 4 rows are invalid")
        .hasMessageContaining("nothing was written");
    assertThat(OfflineStores.of(t).exists(spark)).isFalse();
    Path q = dir.resolve("trips/_quarantine/run=run-2024-01-01");
    List<Row> dead = spark.read().parquet(q.toString()).orderBy("reason").collectAsList();
    assertThat(dead)
        .extracting(x -> x.getAs("reason"))
        .containsExactly(
            "null entity driver_id", "unparseable event timestamp 'xyz' in column datetime");
    assertThat(dead.get(1).<String>getAs("run_id")).isEqualTo("run-2024-01-01");
    assertThat(dead.get(1).<String>getAs("datetime")).isEqualTo("xyz");

    // At 0.5 the same input passes: valid rows written, invalid ones quarantined.
    IngestResult r =
        Tables.ingest(spark, t, in, at("2024-01-02T00:00:00Z").withMaxInvalidFraction(0.5));
    assertThat(r.rowsQuarantined()).isEqualTo(2);
    assertThat(r.rowsWritten()).isEqualTo(2);
    assertThat(stored(t).count()).isEqualTo(2);
  }

  @Test
  void contractErrorWritesNothing() {
    FeatureTable t = Tables.driverTrips(dir.resolve("trips").toString());
    Dataset<Row> in =
        Tables.strings(
            new String[] {"datetime", "driver_id"}, new String[] {"2019-01-01 01:00:00", "1"});
    assertThatThrownBy(() -> Tables.ingest(spark, t, in, at("2024-01-01T00:00:00Z")))
        .isInstanceOf(DataContractException.class)
        .hasMessageContaining("feature column 'average_daily_rides' is missing");
    assertThat(dir.resolve("trips")).doesNotExist();
  }

  @Test
  void conflictingTargetIsRefusedWithoutPartialWrite() throws Exception {
    String path = dir.resolve("trips").toString();
    StructType other =
        new StructType()
            .add("driver_id", DataTypes.StringType)
            .add("datetime", DataTypes.TimestampType);
    Tables.frame(other, new Object[] {"a", java.sql.Timestamp.from(Instant.EPOCH)})
        .write()
        .format("delta")
        .save(path);
    FeatureTable t = Tables.driverTrips(FileFormat.DELTA, path, Map.of(), null);
    assertThatThrownBy(
            () ->
                Tables.ingest(
                    spark,
                    t,
                    rows(row("2019-01-01 01:00:00", "1", "1.0")),
                    at("2024-01-01T00:00:00Z")))
        .isInstanceOf(DataContractException.class)
        .hasMessageContaining("column 'driver_id' has type string in the existing batch source")
        .hasMessageContaining("expected bigint");
    assertThat(spark.read().format("delta").load(path).count()).isEqualTo(1);
    assertThat(
            Files.list(dir.resolve("trips/_delta_log")).filter(p -> p.toString().endsWith(".json")))
        .hasSize(1);
  }

  @Test
  void deltaDedupRunTwiceLeavesTheTableUnchanged() {
    FeatureTable t =
        Tables.driverTrips(FileFormat.DELTA, dir.resolve("trips").toString(), Map.of(), null);
    Dataset<Row> in =
        rows(
            row("2019-01-01 01:00:00", "1", "1.0"),
            row("2019-01-01 02:00:00", "1", "2.0"),
            row("2019-01-01 01:00:00", "2", "3.0"));
    IngestOptions dedup = at("2024-01-01T00:00:00Z").withDedup(true);
    Tables.ingest(spark, t, in, dedup);
    List<Row> before = stored(t).orderBy("driver_id", "datetime").collectAsList();
    IngestResult again = Tables.ingest(spark, t, in, at("2024-01-02T00:00:00Z").withDedup(true));
    assertThat(again.rowsWritten()).isZero();
    assertThat(stored(t).orderBy("driver_id", "datetime").collectAsList()).isEqualTo(before);
    assertThat(before).hasSize(3);

    // A later ingestion of the same event with a new value replaces it; one row per key remains.
    Tables.ingest(
        spark,
        t,
        rows(row("2019-01-01 01:00:00", "2", "7.0")),
        at("2024-01-03T00:00:00Z").withDedup(true));
    List<Row> after = stored(t).where("driver_id = 2").collectAsList();
    assertThat(after).hasSize(1);
    assertThat(after.get(0).<Float>getAs("average_daily_rides")).isEqualTo(7.0f);
  }

  @Test
  void javaApiOnAnInMemoryTypedDataset() {
    FeatureTable t =
        Tables.driverTrips(FileFormat.DELTA, dir.resolve("trips").toString(), Map.of(), null);
    StructType s =
        StructType.fromDDL(
            "driver_id INT, average_daily_rides FLOAT, driver_rating DOUBLE, datetime TIMESTAMP, note STRING");
    Dataset<Row> in =
        Tables.frame(
            s,
            new Object[] {
              7, 1.5f, 4.25d, java.sql.Timestamp.from(Instant.parse("2021-01-01T00:00:00Z")), "x"
            });
    IngestResult r =
        Tables.ingest(spark, t, in, at("2024-01-01T00:00:00Z").allowingMissingFeatures(true));
    assertThat(r.droppedColumns()).containsExactly("note");
    assertThat(r.missingFeatures()).containsExactly("maximum_daily_rides");
    Row got = stored(t).first();
    assertThat(got.<Long>getAs("driver_id")).isEqualTo(7L);
    assertThat(got.<Float>getAs("driver_rating")).isEqualTo(4.25f);
    assertThat(got.<Object>getAs("maximum_daily_rides")).isNull();
    assertThat(stored(t).columns())
        .containsExactly(
            "driver_id",
            "average_daily_rides",
            "driver_rating",
            "maximum_daily_rides",
            "datetime",
            "created");
  }
}
