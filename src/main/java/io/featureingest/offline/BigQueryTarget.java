package io.featureingest.offline;

import io.featureingest.spec.BigQuerySource;
import io.featureingest.spec.DataContractException;
import io.featureingest.spec.FeatureTable;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A BigQuery batch source as ingest's target: appended through the connector (direct by default,
 * indirect through a GCS bucket as an option), a missing table created partitioned by day on the
 * event timestamp, an existing table with a conflicting schema refused before anything is written.
 */
public final class BigQueryTarget implements OfflineTarget {
  private final BigQuerySource source;
  private final Map<String, String> writeOptions;

  public BigQueryTarget(BigQuerySource source, BigQueryOptions.Defaults defaults) {
    this.source = source;
    // Built now, so a query source or a missing bucket fails before any Spark work.
    this.writeOptions =
        BigQueryOptions.write(source, defaults.writeMethod(), defaults.temporaryGcsBucket());
  }

  @Override
  public String location() {
    return "bigquery:" + writeOptions.get("table");
  }

  @Override
  public void check(SparkSession spark, FeatureTable table) {
    StructType found;
    try {
      found = BigQueryReader.read(spark, source, Optional.empty(), Optional.empty()).schema();
    } catch (RuntimeException e) {
      if (String.valueOf(e.getMessage()).contains("Not found")) {
        return; // created by the first write
      }
      throw e;
    }
    conflict(table, found, OfflineWriter.storedSchema(table))
        .ifPresent(
            message -> {
              throw new DataContractException(message);
            });
  }

  @Override
  public void append(Dataset<Row> stored, FeatureTable table) {
    try {
      stored.write().format(BigQueryOptions.FORMAT).options(writeOptions).mode("append").save();
    } catch (RuntimeException e) {
      throw BigQueryReader.missingConnector(e);
    }
  }

  /**
   * Why rows of {@code wanted}'s layout cannot be appended to a table of schema {@code found}, or
   * empty. BigQuery widens on its side: FLOAT is stored as FLOAT64 and INT32 as INT64.
   */
  static Optional<String> conflict(FeatureTable table, StructType found, StructType wanted) {
    for (StructField want : wanted.fields()) {
      Optional<StructField> have =
          Arrays.stream(found.fields()).filter(f -> f.name().equals(want.name())).findFirst();
      if (have.isEmpty()) {
        return Optional.of(
            "table "
                + table.name()
                + ": the existing BigQuery table has no column '"
                + want.name()
                + "' (found type: none, expected "
                + want.dataType().simpleString()
                + "); ingest into a new table, or add the column in BigQuery");
      }
      if (!storable(want.dataType(), have.get().dataType())) {
        return Optional.of(
            "table "
                + table.name()
                + ": column '"
                + want.name()
                + "' has type "
                + have.get().dataType().simpleString()
                + " in the existing BigQuery table, expected "
                + want.dataType().simpleString()
                + "; ingest into a new table, or migrate it");
      }
    }
    return Optional.empty();
  }

  private static boolean storable(DataType want, DataType have) {
    if (want.sameType(have)) {
      return true;
    }
    if (want instanceof ArrayType w && have instanceof ArrayType h) {
      return storable(w.elementType(), h.elementType());
    }
    return (want.equals(DataTypes.FloatType) && have.equals(DataTypes.DoubleType))
        || (want.equals(DataTypes.IntegerType) && have.equals(DataTypes.LongType))
        || (want.equals(DataTypes.StringType) && have.equals(DataTypes.DateType));
  }
}
