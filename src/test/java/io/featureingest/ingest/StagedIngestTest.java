package io.featureingest.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.delta.tables.DeltaTable;
import io.featureingest.spec.DataContractException;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.FileFormat;
import io.featureingest.testing.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The single-pass ingest: valid rows are staged while all rows are counted, and a run over the
 * invalid-fraction threshold commits nothing, for Parquet and Delta, new or existing targets.
 */
class StagedIngestTest {
  private static final String[] CSV = {
    "datetime", "driver_id", "average_daily_rides", "driver_rating", "maximum_daily_rides"
  };
  private final SparkSession spark = TestSpark.get();
  @TempDir Path dir;

  private static IngestOptions at(String instant) {
    return IngestOptions.defaults()
        .withRun("run-" + instant.substring(0, 10), Instant.parse(instant));
  }

  private static Dataset<Row> valid() {
    return Tables.strings(
        CSV,
        new String[] {"2019-01-01 01:00:00", "1", "1.0", "4.5", "10"},
        new String[] {"2019-01-02 01:00:00", "2", "2.0", "4.5", "10"});
  }

  /** Half of the rows invalid: over the default threshold of 0. */
  private static Dataset<Row> halfInvalid() {
    return Tables.strings(
        CSV,
        new String[] {"2019-01-03 01:00:00", "3", "3.0", "4.5", "10"},
        new String[] {"xyz", "4", "1.0", "4.5", "10"});
  }

  /** Every file under the table except the quarantine's: what a failed run must not change. */
  private List<String> tableFiles() throws IOException {
    try (Stream<Path> s = Files.walk(dir.resolve("trips"))) {
      return s.filter(Files::isRegularFile)
          .map(p -> dir.resolve("trips").relativize(p).toString())
          .filter(p -> !p.startsWith("_quarantine"))
          .sorted()
          .toList();
    }
  }

  private void failsOverThreshold(FeatureTable t) {
    assertThatThrownBy(() -> Tables.ingest(spark, t, halfInvalid(), at("2024-02-01T00:00:00Z")))
        .isInstanceOf(DataContractException.class)
        .hasMessageContaining("1 of 2 rows are invalid");
    assertThat(dir.resolve("trips/_quarantine/run=run-2024-02-01")).isDirectory();
    assertThat(dir.resolve("trips/_staging")).doesNotExist();
  }

  @Test
  void deltaOverThresholdCreatesNoTable() throws IOException {
    FeatureTable t =
        Tables.driverTrips(FileFormat.DELTA, dir.resolve("trips").toString(), Map.of(), null);
    failsOverThreshold(t);
    assertThat(DeltaTable.isDeltaTable(spark, dir.resolve("trips").toString())).isFalse();
    assertThat(tableFiles()).isEmpty(); // the staged data files were deleted
  }

  @Test
  void deltaCreatedWithStatsOnKeysAndLeftAsItWasByARunOverThreshold() throws IOException {
    FeatureTable t =
        Tables.driverTrips(FileFormat.DELTA, dir.resolve("trips").toString(), Map.of(), "date");
    IngestResult first = Tables.ingest(spark, t, valid(), at("2024-01-01T00:00:00Z"));
    assertThat(first.rowsWritten()).isEqualTo(2);
    Row detail =
        spark
            .sql("DESCRIBE DETAIL delta.`" + dir.resolve("trips") + "`")
            .select("properties")
            .first();
    assertThat(detail.<String, String>getJavaMap(0))
        .containsEntry("delta.dataSkippingStatsColumns", "driver_id,datetime");
    List<String> before = tableFiles();
    failsOverThreshold(t);
    assertThat(tableFiles()).isEqualTo(before); // no new version, no orphan data file
    assertThat(DeltaTable.forPath(spark, dir.resolve("trips").toString()).history().count())
        .isEqualTo(1);
    assertThat(spark.read().format("delta").load(dir.resolve("trips").toString()).count())
        .isEqualTo(2);
  }

  @Test
  void parquetOverThresholdLeavesAnExistingTableAsItWas() throws IOException {
    FeatureTable t = Tables.driverTrips(dir.resolve("trips").toString());
    Tables.ingest(spark, t, valid(), at("2024-01-01T00:00:00Z"));
    List<String> before = tableFiles();
    failsOverThreshold(t);
    assertThat(tableFiles()).isEqualTo(before);
    assertThat(spark.read().parquet(dir.resolve("trips").toString()).count()).isEqualTo(2);
  }

  @Test
  void countsAreExactWhenTheInputShufflesAndTimestampsAreStoredAsMicros() throws IOException {
    FeatureTable t = Tables.driverTrips(dir.resolve("trips").toString());
    Dataset<Row> in = valid().union(halfInvalid()).repartition(3);
    String before = spark.conf().get("spark.sql.parquet.outputTimestampType");
    IngestResult r =
        Tables.ingest(spark, t, in, at("2024-01-01T00:00:00Z").withMaxInvalidFraction(0.5));
    assertThat(List.of(r.rowsRead(), r.rowsValid(), r.rowsQuarantined(), r.rowsWritten()))
        .containsExactly(4L, 3L, 1L, 3L);
    assertThat(spark.read().parquet(dir.resolve("trips").toString()).count()).isEqualTo(3);
    assertThat(spark.conf().get("spark.sql.parquet.outputTimestampType"))
        .isEqualTo(before); // the session's setting is restored
    Path file =
        dir.resolve("trips")
            .resolve(tableFiles().stream().filter(f -> f.endsWith(".parquet")).findFirst().get());
    try (ParquetFileReader reader =
        ParquetFileReader.open(
            HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(file.toUri()),
                spark.sparkContext().hadoopConfiguration()))) {
      PrimitiveType created =
          reader.getFooter().getFileMetaData().getSchema().getType("created").asPrimitiveType();
      assertThat(created.getPrimitiveTypeName()).isEqualTo(PrimitiveType.PrimitiveTypeName.INT64);
    }
  }
}
