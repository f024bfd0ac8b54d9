package io.featureingest.join;

import io.featureingest.rows.TableFrame;
import io.featureingest.spec.Entity;
import io.featureingest.spec.Feature;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.FileFormat;
import io.featureingest.spec.FileSource;
import io.featureingest.spec.SourceColumns;
import io.featureingest.spec.ValueType;
import io.featureingest.testing.TestSpark;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Small tables and row builders for the join tests. */
final class JoinFixtures {
  private JoinFixtures() {}

  static FeatureTable table(
      String name, List<Entity> entities, List<Feature> features, Duration maxAge) {
    return new FeatureTable(
        name,
        entities,
        features,
        Optional.ofNullable(maxAge),
        Map.of(),
        new FileSource(FileFormat.PARQUET, "unused", SourceColumns.of("ts", "created")),
        Optional.empty());
  }

  /** driver_trips: driver_id INT64 -> rating FLOAT, trips INT64; max_age 2d. */
  static final FeatureTable DRIVER =
      table(
          "driver_trips",
          List.of(Entity.of("driver_id", ValueType.INT64)),
          List.of(Feature.of("rating", ValueType.FLOAT), Feature.of("trips", ValueType.INT64)),
          Duration.ofDays(2));

  /** customer: customer_id STRING -> score DOUBLE; no max_age. */
  static final FeatureTable CUSTOMER =
      table(
          "customer",
          List.of(Entity.of("customer_id", ValueType.STRING)),
          List.of(Feature.of("score", ValueType.DOUBLE)),
          null);

  /** pair: (customer_id STRING, driver_id INT64) -> affinity DOUBLE; max_age 1d. */
  static final FeatureTable PAIR =
      table(
          "pair",
          List.of(
              Entity.of("customer_id", ValueType.STRING), Entity.of("driver_id", ValueType.INT64)),
          List.of(Feature.of("affinity", ValueType.DOUBLE)),
          Duration.ofDays(1));

  static Timestamp ts(String iso) {
    return Timestamp.from(Instant.parse(iso));
  }

  static StructField field(String name, DataType type) {
    return DataTypes.createStructField(name, type, true);
  }

  static Dataset<Row> frame(StructType schema, List<Object[]> rows) {
    List<Row> list = new ArrayList<>();
    rows.forEach(r -> list.add(RowFactory.create(r)));
    return TestSpark.get().createDataFrame(list, schema);
  }

  static StructType schema(StructField... fields) {
    return DataTypes.createStructType(fields);
  }

  /** Entity data: driver_id, customer_id, event_timestamp, label. */
  static Dataset<Row> entities(Object[]... rows) {
    return frame(
        schema(
            field("driver_id", DataTypes.LongType),
            field("customer_id", DataTypes.StringType),
            field("event_timestamp", DataTypes.TimestampType),
            field("label", DataTypes.IntegerType)),
        Arrays.asList(rows));
  }

  /** driver_trips rows: driver_id, rating, trips, event ts, created ts. */
  static Dataset<Row> driverRows(Object[]... rows) {
    return frame(
        schema(
            field("driver_id", DataTypes.LongType),
            field("rating", DataTypes.FloatType),
            field("trips", DataTypes.LongType),
            field(TableFrame.EVENT_TS, DataTypes.TimestampType),
            field(TableFrame.CREATED_TS, DataTypes.TimestampType)),
        Arrays.asList(rows));
  }

  static Dataset<Row> customerRows(Object[]... rows) {
    return frame(
        schema(
            field("customer_id", DataTypes.StringType),
            field("score", DataTypes.DoubleType),
            field(TableFrame.EVENT_TS, DataTypes.TimestampType),
            field(TableFrame.CREATED_TS, DataTypes.TimestampType)),
        Arrays.asList(rows));
  }

  static Dataset<Row> pairRows(Object[]... rows) {
    return frame(
        schema(
            field("customer_id", DataTypes.StringType),
            field("driver_id", DataTypes.LongType),
            field("affinity", DataTypes.DoubleType),
            field(TableFrame.EVENT_TS, DataTypes.TimestampType),
            field(TableFrame.CREATED_TS, DataTypes.TimestampType)),
        Arrays.asList(rows));
  }

  static Object[] row(Object... values) {
    return values;
  }

  /** Rows as sorted, zone-free strings: timestamps as ISO instants, so results compare as bags. */
  static List<String> bag(Dataset<Row> data) {
    List<String> out = new ArrayList<>();
    for (Row r : data.collectAsList()) {
      out.add(show(r));
    }
    out.sort(null);
    return out;
  }

  static String show(Row r) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < r.length(); i++) {
      if (i > 0) {
        b.append(',');
      }
      Object v = r.get(i);
      if (v instanceof Timestamp t) {
        b.append(t.toInstant());
      } else if (v instanceof scala.collection.Seq<?> s) {
        b.append(s.mkString("[", " ", "]"));
      } else {
        b.append(v);
      }
    }
    return b.toString();
  }
}
