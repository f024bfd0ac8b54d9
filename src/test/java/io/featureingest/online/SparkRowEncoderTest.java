package io.featureingest.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.featureingest.rows.SparkTypes;
import io.featureingest.rows.TableFrame;
import io.featureingest.spec.ValueType;
import io.featureingest.testing.TestSpark;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The bytes made from Spark's rows are the bytes {@link OnlineCodec} makes from Java values. */
class SparkRowEncoderTest {
  private static final Instant TS = Instant.parse("2024-02-03T04:05:06.123456Z");

  private static final Object[][] FEATURES = {
    {ValueType.BYTES, new byte[] {0, 1, (byte) 255}},
    {ValueType.STRING, "héllo ✓ 𝄞"},
    {ValueType.INT32, -42},
    {ValueType.INT64, Long.MIN_VALUE},
    {ValueType.DOUBLE, 2.5e-300},
    {ValueType.FLOAT, -1.5f},
    {ValueType.BOOL, true},
    {ValueType.UNIX_TIMESTAMP, TS},
    {ValueType.STRING_LIST, Arrays.asList("a", null, "")},
    {ValueType.INT32_LIST, List.of(3, -4)},
    {ValueType.INT64_LIST, List.of(1L, -2L)},
    {ValueType.DOUBLE_LIST, List.of(0.5)},
    {ValueType.FLOAT_LIST, List.of()},
    {ValueType.BOOL_LIST, List.of(false, true)},
    {ValueType.BYTES_LIST, Arrays.asList(new byte[] {9}, null)},
    {ValueType.UNIX_TIMESTAMP_LIST, List.of(TS)},
  };

  @Test
  void everyFeatureTypeAndNullsEncodeAsTheCodecDoes() {
    List<String> names = new ArrayList<>();
    List<ValueType> types = new ArrayList<>();
    for (Object[] f : FEATURES) {
      names.add("f_" + ((ValueType) f[0]).name().toLowerCase());
      types.add((ValueType) f[0]);
    }
    OnlineTable table =
        new OnlineTable(
            "types",
            List.of("name", "n"),
            List.of(ValueType.STRING, ValueType.INT32),
            names,
            types,
            0);
    List<Object> all = new ArrayList<>();
    List<Object> someNull = new ArrayList<>();
    for (int i = 0; i < FEATURES.length; i++) {
      all.add(FEATURES[i][1]);
      someNull.add(i % 3 == 0 ? null : FEATURES[i][1]);
    }
    check(
        table,
        List.of(
            new OnlineRecord(List.of("x:y", 7), Version.of(TS, TS.plusSeconds(1)), all),
            new OnlineRecord(List.of("ü", -1), Version.of(TS, null), someNull)));
  }

  @Test
  void everyEntityTypeKeysAsTheCodecDoes() {
    Object[][] entities = {
      {ValueType.INT64, -123456789012345L},
      {ValueType.INT32, 5},
      {ValueType.STRING, "driver_1"},
      {ValueType.BOOL, false},
      {ValueType.BYTES, new byte[] {1, 2}},
      {ValueType.UNIX_TIMESTAMP, TS},
      {ValueType.DOUBLE, 1.25},
    };
    for (Object[] e : entities) {
      OnlineTable table =
          new OnlineTable(
              "t",
              List.of("id"),
              List.of((ValueType) e[0]),
              List.of("v"),
              List.of(ValueType.INT32),
              0);
      check(
          table, List.of(new OnlineRecord(List.of(e[1]), Version.of(TS, null), Arrays.asList(1))));
    }
  }

  private static void check(OnlineTable table, List<OnlineRecord> records) {
    StructType schema = new StructType();
    for (int i = 0; i < table.entityNames().size(); i++) {
      schema = schema.add(table.entityNames().get(i), SparkTypes.of(table.entityTypes().get(i)));
    }
    for (int i = 0; i < table.featureNames().size(); i++) {
      schema = schema.add(table.featureNames().get(i), SparkTypes.of(table.featureTypes().get(i)));
    }
    schema =
        schema
            .add(TableFrame.EVENT_TS, DataTypes.TimestampType)
            .add(TableFrame.CREATED_TS, DataTypes.TimestampType);
    List<Row> rows = new ArrayList<>();
    for (OnlineRecord r : records) {
      List<Object> values = new ArrayList<>();
      r.key().forEach(v -> values.add(spark(v)));
      r.values().forEach(v -> values.add(spark(v)));
      values.add(Timestamp.from(r.version().eventTimestamp()));
      values.add(
          r.version().createdMicros() == Version.NO_CREATED
              ? null
              : Timestamp.from(Version.instant(r.version().createdMicros())));
      rows.add(RowFactory.create(values.toArray()));
    }
    List<InternalRow> internal =
        OnlineWriter.forWrite(TestSpark.get().createDataFrame(rows, schema).coalesce(1), table)
            .queryExecution()
            .toRdd()
            .toJavaRDD()
            .map(InternalRow::copy)
            .collect();
    OnlineCodec codec = new OnlineCodec(table);
    SparkRowEncoder encoder = new SparkRowEncoder(codec);
    assertThat(internal).hasSize(records.size());
    for (int i = 0; i < records.size(); i++) {
      OnlineRecord r = records.get(i);
      assertThat(encoder.key(internal.get(i))).isEqualTo(codec.key(r.key()));
      byte[] value = encoder.value(internal.get(i));
      assertThat(value).isEqualTo(codec.encode(r.version(), r.values()));
      assertThat(OnlineCodec.version(value)).isEqualTo(r.version());
    }
  }

  private static Object spark(Object v) {
    if (v instanceof Instant t) {
      return Timestamp.from(t);
    }
    if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(e -> out.add(spark(e)));
      return out;
    }
    return v;
  }
}
