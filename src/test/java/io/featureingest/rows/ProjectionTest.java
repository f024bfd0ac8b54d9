package io.featureingest.rows;

import static org.assertj.core.api.Assertions.assertThat;

import io.featureingest.ingest.Tables;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.FileFormat;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class ProjectionTest {
  private static final FeatureTable TABLE = Tables.driverTrips("/tmp/unused");
  private static final String[] CSV = {
    "datetime", "driver_id", "average_daily_rides", "driver_rating", "maximum_daily_rides"
  };
  private static final Instant NOW = Instant.parse("2024-05-01T00:00:00Z");

  private static Projected project(Dataset<Row> in, FeatureTable t, boolean allowMissing) {
    return Projection.project(
        in,
        t,
        t.batchSource().columns(),
        ProjectionOptions.strict().allowingMissingFeatures(allowMissing).stampedAt(NOW));
  }

  private static Instant ts(Row r) {
    return r.getTimestamp(r.fieldIndex(TableFrame.EVENT_TS)).toInstant();
  }

  @Test
  void csvWithMixedTimestampStylesAllBecomeUtcInstants() {
    Dataset<Row> in =
        Tables.strings(
            CSV,
            new String[] {"2019-01-01 01:00:00", "1", "5.0", "14.0", "3"},
            new String[] {"2019-01-01T01:00:00Z", "2", "2.6", "43", "4"},
            new String[] {"2019-01-01T03:00:00+02:00", "3", "4.1", "1", "5"},
            new String[] {"2019-01-01T01:00:00", "4", "1", "1", "6"},
            new String[] {"1546304400", "5", "1", "1", "7"},
            new String[] {"1546304400000", "6", "1", "1", "8"});
    Projected p = project(in, TABLE, false);
    List<Row> rows = p.valid().orderBy("driver_id").collectAsList();
    assertThat(p.invalid().count()).isZero();
    assertThat(rows).hasSize(6);
    Instant expected = Instant.parse("2019-01-01T01:00:00Z");
    rows.forEach(r -> assertThat(ts(r)).isEqualTo(expected));
    assertThat(rows.get(2).getFloat(1)).isEqualTo(4.1f);
    assertThat(rows.get(0).getLong(0)).isEqualTo(1L);
    assertThat(rows.get(0).getTimestamp(5).toInstant()).isEqualTo(NOW);
    assertThat(p.valid().columns())
        .containsExactly(TableFrame.columns(TABLE).toArray(String[]::new));
    assertThat(p.valid().schema().apply("maximum_daily_rides").dataType())
        .isEqualTo(DataTypes.LongType);
  }

  @Test
  void numericEpochRuleSecondsBelow1e11MillisAbove() {
    StructType s =
        StructType.fromDDL(
            "driver_id BIGINT, average_daily_rides FLOAT, driver_rating FLOAT, maximum_daily_rides BIGINT, datetime BIGINT");
    Projected p =
        project(
            Tables.frame(
                s,
                new Object[] {1L, 1f, 1f, 1L, 99_999_999_999L},
                new Object[] {2L, 1f, 1f, 1L, 100_000_000_000L},
                new Object[] {3L, 1f, 1f, 1L, 100_000_000_000_000L}),
            TABLE,
            false);
    List<Row> rows = p.valid().orderBy("driver_id").collectAsList();
    assertThat(ts(rows.get(0))).isEqualTo(Instant.ofEpochSecond(99_999_999_999L));
    assertThat(ts(rows.get(1))).isEqualTo(Instant.ofEpochMilli(100_000_000_000L));
    assertThat(p.invalid().collectAsList().get(0).getAs("reason").toString())
        .isEqualTo("unparseable event timestamp '100000000000000' in column datetime");
  }

  @Test
  void eachQuarantineReason() {
    Dataset<Row> in =
        Tables.strings(
            CSV,
            new String[] {"2019-01-01 01:00:00", null, "5.0", "14.0", "3"},
            new String[] {null, "2", "2.6", "43", "4"},
            new String[] {"xyz", "3", "4.1", "1", "5"},
            new String[] {"2019-01-01 01:00:00", "4", "abc", "1", "6"},
            new String[] {"2019-01-01 01:00:00", "5", "1", "1", "7.5"},
            new String[] {"2019-01-01 01:00:00", "6", "0.123456789", "1", "8"},
            new String[] {"2019-01-01 01:00:00", "x", "1", "1", "99999999999999999999"},
            new String[] {"2019-01-01 01:00:00", "8", "1", "1", "8"});
    Projected p = project(in, TABLE, false);
    Map<String, String> reasons = new java.util.HashMap<>();
    p.invalid()
        .collectAsList()
        .forEach(r -> reasons.put(String.valueOf(r.<String>getAs("driver_id")), r.getAs("reason")));
    assertThat(reasons)
        .containsEntry("null", "null entity driver_id")
        .containsEntry("2", "null event timestamp in column datetime")
        .containsEntry("3", "unparseable event timestamp 'xyz' in column datetime")
        .containsEntry("4", "value 'abc' of average_daily_rides is not a FLOAT")
        .containsEntry("5", "value '7.5' of maximum_daily_rides is not a INT64")
        .containsEntry("6", "value '0.123456789' of average_daily_rides is not a FLOAT")
        .containsEntry(
            "x",
            "value 'x' of driver_id is not a INT64; value '99999999999999999999' of"
                + " maximum_daily_rides is not a INT64");
    assertThat(p.invalid().columns())
        .containsExactly(
            "datetime",
            "driver_id",
            "average_daily_rides",
            "driver_rating",
            "maximum_daily_rides",
            "reason");
    assertThat(p.counts()).isEqualTo(new Projected.Counts(8, 7));
    assertThat(p.valid().count()).isEqualTo(1);
  }

  @Test
  void lossyNumericValuesAreInvalidWideningIsNot() {
    StructType s =
        StructType.fromDDL(
            "driver_id INT, average_daily_rides DOUBLE, driver_rating FLOAT, maximum_daily_rides DOUBLE, datetime TIMESTAMP");
    Timestamp t = Timestamp.from(Instant.parse("2020-01-01T00:00:00Z"));
    Projected p =
        project(
            Tables.frame(
                s,
                new Object[] {1, 4.1d, 1f, 3.0d, t},
                new Object[] {2, 0.1 + 0.2, 1f, 3.0d, t},
                new Object[] {3, 1d, 1f, 3.5d, t}),
            TABLE,
            false);
    assertThat(p.valid().collectAsList()).hasSize(1);
    assertThat(p.valid().first().getFloat(1)).isEqualTo(4.1f);
    assertThat(p.valid().first().getLong(3)).isEqualTo(3L);
    assertThat(p.invalid().orderBy("driver_id").collectAsList())
        .extracting(r -> r.getAs("reason"))
        .containsExactly(
            "value '0.30000000000000004' of average_daily_rides is not a FLOAT",
            "value '3.5' of maximum_daily_rides is not a INT64");
    // The original values and types are kept.
    assertThat(p.invalid().schema().apply("driver_id").dataType()).isEqualTo(DataTypes.IntegerType);
  }

  @Test
  void fieldMappingByColumnAndByExpression() {
    FeatureTable t =
        Tables.driverTrips(
            FileFormat.PARQUET,
            "/tmp/x",
            Map.of(
                "driver_id", "id",
                "driver_rating", "rating * 2",
                "datetime", "event_time",
                "maximum_daily_rides", "maximum_daily_rides_old"),
            null);
    Dataset<Row> in =
        Tables.strings(
            new String[] {
              "id", "average_daily_rides", "rating", "event_time", "maximum_daily_rides", "junk"
            },
            new String[] {"7", "1.5", "2.25", "2021-06-01T00:00:00Z", "9", "j"});
    Projected p = project(in, t, false);
    Row r = p.valid().first();
    assertThat(r.getLong(0)).isEqualTo(7L);
    assertThat(r.getFloat(2)).isEqualTo(4.5f);
    // maximum_daily_rides is an input column already: its mapping does not apply.
    assertThat(r.getLong(3)).isEqualTo(9L);
    assertThat(ts(r)).isEqualTo(Instant.parse("2021-06-01T00:00:00Z"));
    assertThat(p.droppedColumns()).containsExactly("junk");
  }

  @Test
  void createdTimestampKeptWhenGivenStampedWhenMissingAndMissingFeaturesNull() {
    Dataset<Row> in =
        Tables.strings(
            new String[] {
              "datetime", "driver_id", "average_daily_rides", "driver_rating", "created"
            },
            new String[] {"2019-01-01 01:00:00", "1", "5.0", "14.0", "2019-02-01 00:00:00"},
            new String[] {"2019-01-01 01:00:00", "2", "5.0", "14.0", null});
    List<Row> rows = project(in, TABLE, true).valid().orderBy("driver_id").collectAsList();
    assertThat(rows.get(0).getTimestamp(5).toInstant())
        .isEqualTo(Instant.parse("2019-02-01T00:00:00Z"));
    assertThat(rows.get(1).getTimestamp(5).toInstant()).isEqualTo(NOW);
    assertThat(rows.get(0).isNullAt(3)).isTrue();
  }

  @Test
  void listsConvertElementwise() {
    FeatureTable t =
        new FeatureTable(
            "profile",
            List.of(
                io.featureingest.spec.Entity.of(
                    "customer_id", io.featureingest.spec.ValueType.STRING)),
            List.of(
                io.featureingest.spec.Feature.of(
                    "scores", io.featureingest.spec.ValueType.INT64_LIST)),
            java.util.Optional.empty(),
            Map.of(),
            TABLE.batchSource(),
            java.util.Optional.empty());
    StructType s =
        new StructType()
            .add("customer_id", DataTypes.StringType)
            .add("scores", DataTypes.createArrayType(DataTypes.StringType))
            .add("datetime", DataTypes.StringType);
    Projected p =
        project(
            Tables.frame(
                s,
                new Object[] {"a", scala(List.of("1", "2")), "2020-01-01"},
                new Object[] {"b", scala(List.of("1", "z")), "2020-01-01"}),
            t,
            false);
    assertThat(p.valid().first().getList(1)).containsExactly(1L, 2L);
    assertThat(p.invalid().first().<String>getAs("reason"))
        .isEqualTo("value '[\"1\",\"z\"]' of scores is not a INT64_LIST");
  }

  private static Object scala(List<String> values) {
    return values; // Spark converts any java.lang.Iterable to an array value
  }
}
