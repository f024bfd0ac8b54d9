package io.featureingest.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.featureingest.ingest.IngestResult;
import io.featureingest.online.OnlineFeatures;
import io.featureingest.spec.TreeWriter;
import io.featureingest.stream.Push;
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

/**
 * The Java API end to end on a SQLite store: each call answers the record that its command's
 * summary prints, and the calls see each other's data.
 */
class FeatureStoreTest {
  static final Instant T1 = Instant.parse("2024-05-01T10:00:00Z");
  static final Instant T2 = T1.plusSeconds(3600);
  static final StructType TRIPS =
      StructType.fromDDL("driver_id BIGINT, rating DOUBLE, event_time TIMESTAMP");

  @TempDir Path dir;
  FeatureStore store;

  @BeforeEach
  void setUp() throws Exception {
    TestSpark.get(); // the store uses the running session and leaves it running
    Path config = dir.resolve("repo.conf");
    Files.writeString(
        config,
        """
        registry { path = "%1$s/registry" }
        online_store { type = sqlite, path = "%1$s/online.db" }
        feature_tables {
          trips {
            entities = [ { name = driver_id, type = INT64 } ]
            features = [ { name = rating, type = DOUBLE } ]
            batch_source {
              type = file, format = parquet, path = "%1$s/offline"
              event_timestamp_column = event_time
              created_timestamp_column = created
            }
          }
        }
        """
            .formatted(dir));
    store = FeatureStore.open(config.toFile());
  }

  static Dataset<Row> rows(StructType schema, Object[]... rows) {
    return TestSpark.get()
        .createDataFrame(List.of(rows).stream().map(RowFactory::create).toList(), schema);
  }

  static Object[] trip(long driver, Double rating, Instant at) {
    return new Object[] {driver, rating, Timestamp.from(at)};
  }

  @Test
  void ingestMaterializeGetPushRetrieve() {
    IngestResult in =
        store.ingest(
            "trips",
            rows(TRIPS, trip(1, 4.0, T1), trip(1, 4.5, T2), trip(2, 3.0, T1), trip(3, 2.0, T2)));
    assertThat(in.rowsRead()).isEqualTo(4);
    assertThat(in.rowsWritten()).isEqualTo(4);
    assertThat(in.rowsQuarantined()).isZero();

    List<MaterializeResult> out =
        store.materialize(
            List.of("trips"), T1, T2.plusSeconds(1), FeatureStore.Validation.defaults());
    assertThat(out).hasSize(1);
    assertThat(out.get(0).table()).isEqualTo("trips");
    assertThat(out.get(0).rows().rowsRead()).isEqualTo(4);
    assertThat(out.get(0).rows().rowsWritten()).isEqualTo(3); // newest per driver
    assertThat(out.get(0).onlineStore()).isEqualTo("sqlite " + dir.resolve("online.db"));

    assertThat(served(1)).contains("\"rating\": 4.5");

    Push.Result older =
        store.push("trips", rows(TRIPS, trip(1, 1.0, T1)), FeatureStore.Validation.defaults());
    Push.Result newer =
        store.push(
            "trips",
            rows(TRIPS, trip(1, 5.0, T2.plusSeconds(60))),
            FeatureStore.Validation.defaults());
    assertThat(older.rowsWritten()).isZero();
    assertThat(older.rowsNotNewer()).isEqualTo(1);
    assertThat(newer.rowsWritten()).isEqualTo(1);
    assertThat(served(1)).contains("\"rating\": 5.0");

    Dataset<Row> entities =
        rows(
            StructType.fromDDL("driver_id BIGINT, event_timestamp TIMESTAMP"),
            new Object[] {1L, Timestamp.from(T1.plusSeconds(60))},
            new Object[] {1L, Timestamp.from(T2.plusSeconds(60))},
            new Object[] {3L, Timestamp.from(T1)});
    String output = dir.resolve("training").toString();
    RetrieveResult training = store.retrieve(entities, "trips:rating", output, "parquet");
    assertThat(training.rows()).isEqualTo(3);
    assertThat(training.features()).containsExactly("trips__rating");
    assertThat(training.storedRowsLeftOutTotal()).isZero();
    List<String> got =
        TestSpark.get()
            .read()
            .parquet(output)
            .orderBy("driver_id", "event_timestamp")
            .collectAsList()
            .stream()
            .map(r -> r.getLong(0) + "=" + r.get(2))
            .toList();
    assertThat(got).containsExactly("1=4.0", "1=4.5", "3=null"); // driver 3 only later
  }

  @Test
  void invalidRowsAreQuarantinedWithinTheGivenThreshold() {
    IngestResult in =
        store.ingest(
            "trips",
            rows(TRIPS, trip(1, 4.0, T1), new Object[] {null, 1.0, Timestamp.from(T1)}),
            FeatureStore.Validation.defaults().withMaxInvalidFraction(0.5),
            false);
    assertThat(in.rowsRead()).isEqualTo(2);
    assertThat(in.rowsQuarantined()).isEqualTo(1);
    assertThat(in.quarantinePath()).isPresent();
    assertThat(in.runId()).isNotEqualTo(store.ingest("trips", rows(TRIPS)).runId());
  }

  private String served(long driver) {
    List<OnlineFeatures.Row> rows =
        store.onlineGet("trips", List.of(List.of(driver)), null, T2.plusSeconds(3600));
    assertThat(rows).hasSize(1);
    return TreeWriter.jsonLine(rows.get(0).toTree());
  }
}
