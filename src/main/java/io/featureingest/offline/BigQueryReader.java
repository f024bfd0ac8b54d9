package io.featureingest.offline;

import io.featureingest.spec.BigQuerySource;
import io.featureingest.spec.SourceErrors;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reads a BigQuery batch source through the spark-bigquery connector the cluster provides. */
public final class BigQueryReader {
  private BigQueryReader() {}

  /** The source's rows with event times in {@code [start, end)} (pushed down to BigQuery). */
  public static Dataset<Row> read(
      SparkSession spark, BigQuerySource source, Optional<Instant> start, Optional<Instant> end) {
    Map<String, String> options = BigQueryOptions.read(source, start, end);
    try {
      return spark.read().format(BigQueryOptions.FORMAT).options(options).load();
    } catch (RuntimeException e) {
      throw missingConnector(e);
    }
  }

  /** A whole table, e.g. retrieve's {@code bq:} entity rows. */
  public static Dataset<Row> readTable(
      SparkSession spark, String tableRef, BigQueryOptions.Defaults defaults) {
    Map<String, String> options = BigQueryOptions.readTable(tableRef, defaults);
    try {
      return spark.read().format(BigQueryOptions.FORMAT).options(options).load();
    } catch (RuntimeException e) {
      throw missingConnector(e);
    }
  }

  /** Turns "data source not found" into advice; anything else is rethrown as it is. */
  public static RuntimeException missingConnector(RuntimeException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("DATA_SOURCE_NOT_FOUND")
        || message.contains("Failed to find the data source")
        || message.contains("Failed to find data source")) {
      return SourceErrors.bigQueryConnectorMissing();
    }
    return e;
  }
}
