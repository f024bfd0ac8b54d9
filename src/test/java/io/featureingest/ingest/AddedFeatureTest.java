package io.featureingest.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.featureingest.job.OfflineStores;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.FileFormat;
import io.featureingest.testing.TestSpark;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A feature added to a spec after rows were ingested under the old one: the next ingest adds its
 * column, the old rows read it as null, and nothing else changes.
 */
class AddedFeatureTest {
  private final SparkSession spark = TestSpark.get();
  @TempDir Path dir;

  private static IngestOptions at(String instant, boolean dedup) {
    return IngestOptions.defaults()
        .withRun("run-" + instant.substring(0, 10), Instant.parse(instant))
        .withDedup(dedup);
  }

  /** The table without its last feature (maximum_daily_rides): the spec before the change. */
  private static FeatureTable before(FeatureTable after) {
    return new FeatureTable(
        after.name(),
        after.entities(),
        after.features().subList(0, 2),
        after.maxAge(),
        after.labels(),
        after.batchSource(),
        after.streamSource());
  }

  @ParameterizedTest
  @CsvSource({"PARQUET, date, false", "DELTA, , false", "DELTA, , true"})
  void theNextIngestAddsTheColumnAndOldRowsReadNull(
      FileFormat format, String partition, boolean dedup) {
    FeatureTable after =
        Tables.driverTrips(format, dir.resolve("trips").toString(), Map.of(), partition);
    FeatureTable before = before(after);
    Dataset<Row> old =
        Tables.strings(
            new String[] {"datetime", "driver_id", "average_daily_rides", "driver_rating"},
            new String[] {"2019-01-01 01:00:00", "1", "1.0", "4.5"},
            new String[] {"2019-01-01 01:00:00", "2", "2.0", "4.0"});
    Tables.ingest(spark, before, old, at("2024-01-01T00:00:00Z", dedup));

    Dataset<Row> added =
        Tables.strings(
            new String[] {
              "datetime", "driver_id", "average_daily_rides", "driver_rating", "maximum_daily_rides"
            },
            new String[] {"2019-01-02 01:00:00", "1", "3.0", "4.6", "12"},
            // the same event as before with the new feature: under dedup, a change
            new String[] {"2019-01-01 01:00:00", "2", "2.0", "4.0", "7"});
    IngestResult r = Tables.ingest(spark, after, added, at("2024-01-02T00:00:00Z", dedup));
    assertThat(r.rowsWritten()).isEqualTo(2);

    List<Row> stored =
        OfflineStores.of(after)
            .read(spark)
            .selectExpr("driver_id", "cast(datetime as string) as datetime", "maximum_daily_rides")
            .orderBy("driver_id", "datetime", "maximum_daily_rides")
            .collectAsList();
    assertThat(stored.stream().map(Row::toString))
        .containsExactlyElementsOf(
            dedup
                ? List.of(
                    "[1,2019-01-01 01:00:00,null]",
                    "[1,2019-01-02 01:00:00,12]",
                    "[2,2019-01-01 01:00:00,7]")
                : List.of(
                    "[1,2019-01-01 01:00:00,null]",
                    "[1,2019-01-02 01:00:00,12]",
                    "[2,2019-01-01 01:00:00,null]",
                    "[2,2019-01-01 01:00:00,7]"));
  }
}
