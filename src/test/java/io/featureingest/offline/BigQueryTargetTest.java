package io.featureingest.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.featureingest.spec.BigQuerySource;
import io.featureingest.spec.ConfigException;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.SpecParser;
import java.util.Optional;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Ingest into BigQuery: the write options and the schema check, without reaching Google. */
public class BigQueryTargetTest {
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
    assertThat(BigQueryTarget.conflict(t, asBigQueryStoresIt(), OfflineWriter.storedSchema(t)))
        .isEmpty();
  }

  @Test
  void aConflictingTableIsRefusedWithTheColumnAndBothTypes() {
    FeatureTable t = table("table_ref = \"p:d.trips\"");
    StructType wrong =
        StructType.fromDDL("driver_id STRING, rating DOUBLE, trips BIGINT")
            .add("tags", DataTypes.createArrayType(DataTypes.StringType))
            .add("event_timestamp", DataTypes.TimestampType)
            .add("created", DataTypes.TimestampType);
    assertThat(BigQueryTarget.conflict(t, wrong, OfflineWriter.storedSchema(t)))
        .get()
        .asString()
        .contains(
            "column 'driver_id' has type string in the existing BigQuery table, expected bigint");
    StructType missing = new StructType().add("driver_id", DataTypes.LongType);
    assertThat(BigQueryTarget.conflict(t, missing, OfflineWriter.storedSchema(t)))
        .get()
        .asString()
        .contains("has no column 'rating'");
  }

  @Test
  void directWriteByDefaultIntoTheTableRefPartitionedByDay() {
    FeatureTable t = table("table_ref = \"p:d.trips\"");
    BigQueryTarget target =
        new BigQueryTarget(
            (BigQuerySource) t.batchSource(), BigQueryOptions.Defaults.from(ConfigFactory.empty()));
    assertThat(target.location()).isEqualTo("bigquery:p.d.trips");
  }

  @Test
  void aQuerySourceOrAMissingBucketFailsBeforeAnyWork() {
    FeatureTable query = table("query = \"SELECT 1\", materialization_dataset = tmp");
    assertThatThrownBy(
            () ->
                new BigQueryTarget(
                    (BigQuerySource) query.batchSource(),
                    BigQueryOptions.Defaults.from(ConfigFactory.empty())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("give table_ref instead");
    FeatureTable t = table("table_ref = \"p:d.trips\"");
    assertThatThrownBy(
            () ->
                new BigQueryTarget(
                    (BigQuerySource) t.batchSource(),
                    BigQueryOptions.Defaults.from(
                        ConfigFactory.parseString("bigquery.write_method = indirect"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("bigquery.temporary_gcs_bucket");
    assertThat(Optional.of(t.batchSource().columns().eventTimestampColumn()))
        .contains("event_timestamp");
  }
}
