package io.featureingest.ingest;

import io.featureingest.job.OfflineStores;
import io.featureingest.spec.Entity;
import io.featureingest.spec.Feature;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.FileFormat;
import io.featureingest.spec.FileSource;
import io.featureingest.spec.SourceColumns;
import io.featureingest.spec.ValueType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Small builders for ingest tests: the driver_trips table and in-memory frames. */
public final class Tables {
  private Tables() {}

  public static FeatureTable driverTrips(
      FileFormat format, String path, Map<String, String> mapping, String partitionColumn) {
    return new FeatureTable(
        "driver_trips",
        List.of(Entity.of("driver_id", ValueType.INT64)),
        List.of(
            Feature.of("average_daily_rides", ValueType.FLOAT),
            Feature.of("driver_rating", ValueType.FLOAT),
            Feature.of("maximum_daily_rides", ValueType.INT64)),
        Optional.empty(),
        Map.of(),
        new FileSource(
            format,
            path,
            new SourceColumns(
                "datetime", Optional.of("created"), mapping, Optional.ofNullable(partitionColumn))),
        Optional.empty());
  }

  /** Ingests into the store the jobs pick for the table's batch source. */
  public static IngestResult ingest(
      SparkSession spark, FeatureTable table, Dataset<Row> rows, IngestOptions options) {
    return Ingestion.ingest(spark, table, rows, options, OfflineStores.of(table));
  }

  public static FeatureTable driverTrips(String path) {
    return driverTrips(FileFormat.PARQUET, path, Map.of(), "date");
  }

  /** A frame whose columns are all strings, like a CSV read without inference. */
  public static Dataset<Row> strings(String[] columns, String[]... rows) {
    StructField[] fields = new StructField[columns.length];
    for (int i = 0; i < columns.length; i++) {
      fields[i] = DataTypes.createStructField(columns[i], DataTypes.StringType, true);
    }
    List<Row> list =
        java.util.Arrays.stream(rows).map(r -> RowFactory.create((Object[]) r)).toList();
    return io.featureingest.testing.TestSpark.get().createDataFrame(list, new StructType(fields));
  }

  public static Dataset<Row> frame(StructType schema, Object[]... rows) {
    List<Row> list = java.util.Arrays.stream(rows).map(RowFactory::create).toList();
    return io.featureingest.testing.TestSpark.get().createDataFrame(list, schema);
  }
}
