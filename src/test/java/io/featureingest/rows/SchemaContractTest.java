package io.featureingest.rows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featureingest.ingest.Tables;
import io.featureingest.spec.DataContractException;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.FileFormat;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class SchemaContractTest {
  private static final FeatureTable TABLE = Tables.driverTrips("/tmp/unused");

  private static StructType schema(Object... nameType) {
    StructType s = new StructType();
    for (int i = 0; i < nameType.length; i += 2) {
      s = s.add((String) nameType[i], (org.apache.spark.sql.types.DataType) nameType[i + 1]);
    }
    return s;
  }

  private static Dataset<Row> empty(StructType s) {
    return Tables.frame(s);
  }

  private static final Object[] GOOD = {
    "driver_id", DataTypes.IntegerType,
    "average_daily_rides", DataTypes.FloatType,
    "driver_rating", DataTypes.DoubleType,
    "maximum_daily_rides", DataTypes.LongType,
    "datetime", DataTypes.TimestampType,
    "extra", DataTypes.StringType
  };

  private SchemaContract.Contract check(Dataset<Row> in, boolean allowMissing) {
    return SchemaContract.check(in, TABLE, TABLE.batchSource().columns(), allowMissing);
  }

  @Test
  void passesWithWideningAndListsUnknownColumnsAsDropped() {
    var c = check(empty(schema(GOOD)), false);
    assertThat(c.droppedColumns()).containsExactly("extra");
    assertThat(c.createdTimestamp()).isEmpty();
  }

  @Test
  void missingEntityNamesTableColumnAndTypes() {
    assertThatThrownBy(
            () ->
                check(
                    empty(
                        schema(
                            "average_daily_rides",
                            DataTypes.FloatType,
                            "driver_rating",
                            DataTypes.FloatType,
                            "maximum_daily_rides",
                            DataTypes.LongType,
                            "datetime",
                            DataTypes.TimestampType)),
                    false))
        .isInstanceOf(DataContractException.class)
        .hasMessageContaining("table driver_trips")
        .hasMessageContaining("entity column 'driver_id' is missing")
        .hasMessageContaining("found type: none")
        .hasMessageContaining("expected INT64 (bigint)");
  }

  @Test
  void missingFeatureFailsUnlessAllowed() {
    Dataset<Row> in =
        empty(
            schema(
                "driver_id",
                DataTypes.LongType,
                "average_daily_rides",
                DataTypes.FloatType,
                "driver_rating",
                DataTypes.FloatType,
                "datetime",
                DataTypes.StringType));
    assertThatThrownBy(() -> check(in, false))
        .isInstanceOf(DataContractException.class)
        .hasMessageContaining("feature column 'maximum_daily_rides' is missing")
        .hasMessageContaining("--allow-missing-features");
    assertThat(check(in, true).missingFeatures()).containsExactly("maximum_daily_rides");
  }

  @Test
  void missingEventTimestampFails() {
    assertThatThrownBy(
            () ->
                check(
                    empty(
                        schema(
                            "driver_id",
                            DataTypes.LongType,
                            "average_daily_rides",
                            DataTypes.FloatType,
                            "driver_rating",
                            DataTypes.FloatType,
                            "maximum_daily_rides",
                            DataTypes.LongType)),
                    false))
        .isInstanceOf(DataContractException.class)
        .hasMessageContaining("event timestamp column 'datetime' is missing");
  }

  @Test
  void inconvertibleTypeNamesFoundAndExpected() {
    Object[] bad = GOOD.clone();
    bad[3] = DataTypes.BooleanType; // average_daily_rides
    assertThatThrownBy(() -> check(empty(schema(bad)), false))
        .isInstanceOf(DataContractException.class)
        .hasMessage(
            "table driver_trips: column 'average_daily_rides' has type boolean, expected FLOAT"
                + " (float); convert the column in the input or change the type in the spec");
  }

  @Test
  void eventTimestampOfWrongTypeFails() {
    Object[] bad = GOOD.clone();
    bad[9] = DataTypes.BooleanType; // datetime
    assertThatThrownBy(() -> check(empty(schema(bad)), false))
        .isInstanceOf(DataContractException.class)
        .hasMessageContaining("column 'datetime' has type boolean, expected a event timestamp");
  }

  @Test
  void listFeatureNeedsAnArray() {
    FeatureTable t =
        new FeatureTable(
            "t",
            java.util.List.of(
                io.featureingest.spec.Entity.of("k", io.featureingest.spec.ValueType.STRING)),
            java.util.List.of(
                io.featureingest.spec.Feature.of("v", io.featureingest.spec.ValueType.INT64_LIST)),
            java.util.Optional.empty(),
            Map.of(),
            TABLE.batchSource(),
            java.util.Optional.empty());
    Dataset<Row> in =
        empty(
            schema(
                "k",
                DataTypes.StringType,
                "v",
                DataTypes.LongType,
                "datetime",
                DataTypes.TimestampType));
    assertThatThrownBy(() -> SchemaContract.check(in, t, t.batchSource().columns(), false))
        .hasMessageContaining("column 'v' has type bigint, expected INT64_LIST (array<bigint>)");
  }

  @Test
  void badFieldMappingExpressionFails() {
    FeatureTable t =
        Tables.driverTrips(FileFormat.PARQUET, "/tmp/x", Map.of("driver_id", "nope + 1"), null);
    Object[] rest = java.util.Arrays.copyOfRange(GOOD, 2, GOOD.length);
    Dataset<Row> in = empty(schema(rest));
    assertThatThrownBy(() -> SchemaContract.check(in, t, t.batchSource().columns(), false))
        .isInstanceOf(DataContractException.class)
        .hasMessageContaining("field_mapping for entity 'driver_id' is 'nope + 1'");
  }
}
