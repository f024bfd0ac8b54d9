package io.featureingest.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.featureingest.offline.OfflineStore.WriteMode;
import io.featureingest.spec.BatchSource;
import io.featureingest.spec.BigQuerySource;
import io.featureingest.spec.ConfigException;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.SourceColumns;
import io.featureingest.spec.SpecParser;
import java.util.Optional;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The BigQuery store without reaching Google: the write options, the schema check and the refusals.
 * The contract's cases that need a live BigQuery are overridden without {@code @Test} (so not run,
 * not counted); {@link BigQueryLiveTest} runs ingest and a windowed read when credentials are
 * given.
 */
public class BigQueryStoreTest extends OfflineStoreContract {
  public static FeatureTable table(String source) {
    return SpecParser.parseTable(
        "trips",
        ConfigFactory.parseString(
            """
        entities = [ { name = driver_id, type = INT64 } ]
        features = [ { name = rating, type = FLOAT }, { name = trips, type = INT32 },
                     { name = tags, type = STRING_LIST } ]
        batch_source { type = bigquery, %s, event_timestamp_column = event_timestamp,
                       created_timestamp_column = created }
        """
                .formatted(source)));
  }

  @Override
  BatchSource source(String name, SourceColumns columns) {
    return new BigQuerySource(
        Optional.of("p:d." + name), Optional.empty(), null, null, null, null, columns);
  }

  @Override
  OfflineStore open(FeatureTable table) {
    return new BigQueryStore(table, ConfigFactory.empty());
  }

  /** What BigQuery reports for a table ingest created: FLOAT64 and INT64 for FLOAT and INT32. */
  static StructType asBigQueryStoresIt() {
    return StructType.fromDDL("driver_id BIGINT, rating DOUBLE, trips BIGINT")
        .add("tags", DataTypes.createArrayType(DataTypes.StringType))
        .add("event_timestamp", DataTypes.TimestampType)
        .add("created", DataTypes.TimestampType);
  }

  @Test
  void aTableIngestCreatedAcceptsTheSameSpecAgain() {
    FeatureTable t = table("table_ref = \"p:d.trips\"");
    assertThat(BigQueryStore.conflict(t, asBigQueryStoresIt(), StoredLayout.schema(t))).isEmpty();
    open(t).checkSchema(asBigQueryStoresIt());
  }

  @Test
  void aConflictingTableIsRefusedWithTheColumnAndBothTypes() {
    FeatureTable t = table("table_ref = \"p:d.trips\"");
    StructType wrong =
        StructType.fromDDL("driver_id STRING, rating DOUBLE, trips BIGINT")
            .add("tags", DataTypes.createArrayType(DataTypes.StringType))
            .add("event_timestamp", DataTypes.TimestampType)
            .add("created", DataTypes.TimestampType);
    assertThat(BigQueryStore.conflict(t, wrong, StoredLayout.schema(t)).map(Throwable::getMessage))
        .get()
        .asString()
        .contains(
            "column 'driver_id' has type string in the existing BigQuery table, expected bigint");
    StructType missing = new StructType().add("driver_id", DataTypes.LongType);
    assertThat(
            BigQueryStore.conflict(t, missing, StoredLayout.schema(t)).map(Throwable::getMessage))
        .get()
        .asString()
        .contains("has no column 'rating'");
  }

  @Test
  void directWriteByDefaultIntoTheTableRefPartitionedByDay() {
    FeatureTable t = table("table_ref = \"p:d.trips\"");
    OfflineStore store = open(t);
    store.checkSpec(WriteMode.APPEND);
    assertThat(store.location()).isEqualTo("bigquery:p.d.trips");
    assertThat(store.stages(WriteMode.APPEND)).isFalse(); // ingest counts, then writes
  }

  @Test
  void aQuerySourceOrAMissingBucketFailsBeforeAnyWork() {
    FeatureTable query = table("query = \"SELECT 1\", materialization_dataset = tmp");
    assertThatThrownBy(() -> open(query).checkSpec(WriteMode.APPEND))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("give table_ref instead");
    FeatureTable t = table("table_ref = \"p:d.trips\"");
    assertThatThrownBy(
            () ->
                new BigQueryStore(t, ConfigFactory.parseString("bigquery.write_method = indirect"))
                    .checkSpec(WriteMode.APPEND))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("bigquery.temporary_gcs_bucket");
    assertThat(Optional.of(t.batchSource().columns().eventTimestampColumn()))
        .contains("event_timestamp");
  }

  @Test
  void dedupIsRefusedAsAWriteOfFileSourcesOnly() {
    assertThatThrownBy(() -> open(table("table_ref = \"p:d.trips\"")).checkSpec(WriteMode.DEDUP))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "table trips: ingest writes file batch sources (parquet or delta); its batch source"
                + " is bigquery");
  }

  @Test
  void theTableRefIsTheConnectorsDottedForm() {
    BigQuerySource bq = (BigQuerySource) source("t", SourceColumns.of("datetime", null));
    assertThat(bq.connectorTable()).contains("p.d.t");
  }

  /** A stream cannot log into BigQuery: refused as a config error, before any write. */
  @Override
  @Test
  void aLoggedBatchAppendedTwiceIsStoredOnce() {
    assertThatThrownBy(() -> open(newTable("logged")).appendLogged(null, "stream-a", 0))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "table logged: log_to_batch_source needs a file batch source (parquet or delta)");
  }

  // Cases that need BigQuery itself: not run here (no @Test), covered by BigQueryLiveTest.

  @Override
  void readingATableThatDoesNotExistSaysSo() {}

  @Override
  void existsOnceCreatedAndCreateLeavesAnExistingTableAsItIs() {}

  @Override
  void stagedRowsAreVisibleOnlyAfterTheCommitAndThenOnce() {}

  @Override
  void aDirectAppendIsVisibleAtOnce() {}

  @Override
  void anAbortedWriteLeavesNothingVisible() {}

  @Override
  void aWindowHoldsEventTimesFromItsStartUpToButNotItsEnd() {}

  @Override
  void commitMarksReadBackExactlyWhatWasCommittedBetweenThem() {}
}
