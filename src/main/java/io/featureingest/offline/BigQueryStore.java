package io.featureingest.offline;

import com.typesafe.config.Config;
import io.featureingest.spec.BigQuerySource;
import io.featureingest.spec.DataContractException;
import io.featureingest.spec.DataErrors;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.SourceErrors;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A BigQuery table or query, through the spark-bigquery connector. Reads push the window down as
 * the connector's filter. Ingest appends directly (indirect through a GCS bucket as an option),
 * creating a missing table partitioned by day on the event timestamp, and refuses an existing table
 * with a conflicting schema before anything is written. BigQuery cannot hold a write back for a
 * later commit: ingest counts first and writes after the threshold check. No MERGE, no stream log.
 */
public final class BigQueryStore implements OfflineStore {
  private final FeatureTable table;
  private final BigQuerySource source;
  private final Config config;

  /** {@code config}'s {@code bigquery} block says how writes reach BigQuery (read when writing). */
  public BigQueryStore(FeatureTable table, Config config) {
    if (!(table.batchSource() instanceof BigQuerySource bq)) {
      throw new IllegalArgumentException("table " + table.name() + ": not a bigquery source");
    }
    this.table = table;
    this.source = bq;
    this.config = config;
  }

  /** The connector's options to append to the table; a query or a missing bucket fails here. */
  private Map<String, String> writeOptions() {
    BigQueryOptions.Defaults defaults = BigQueryOptions.Defaults.from(config);
    return BigQueryOptions.write(source, defaults.writeMethod(), defaults.temporaryGcsBucket());
  }

  @Override
  public String location() {
    return "bigquery:"
        + source.options().getOrDefault("table", source.connectorTable().orElse("query"));
  }

  @Override
  public boolean exists(SparkSession spark) {
    return schema(spark).isPresent();
  }

  /** The table's schema, or empty when BigQuery has no such table yet. */
  private Optional<StructType> schema(SparkSession spark) {
    try {
      return Optional.of(read(spark).schema());
    } catch (RuntimeException e) {
      if (String.valueOf(e.getMessage()).contains("Not found")) {
        return Optional.empty(); // created by the first write
      }
      throw e;
    }
  }

  /** An empty append: the connector creates the table, partitioned by day. */
  @Override
  public void create(SparkSession spark) {
    if (!exists(spark)) {
      append(spark.createDataFrame(List.of(), StoredLayout.schema(table)));
    }
  }

  @Override
  public Dataset<Row> read(SparkSession spark) {
    return BigQueryReader.read(spark, source, Optional.empty(), Optional.empty());
  }

  /**
   * BigQuery filters the window on its side (only {@code [start, end)} crosses the network); the
   * exact test then runs on what came back, as for files.
   */
  @Override
  public Dataset<Row> read(SparkSession spark, Instant start, Instant end) {
    EventWindow.check(start, end);
    Dataset<Row> window = BigQueryReader.read(spark, source, Optional.of(start), Optional.of(end));
    return EventWindow.of(window, source.columns(), start, end);
  }

  /** A query cannot be written, nor indirectly without a bucket; BigQuery has no MERGE here. */
  @Override
  public void checkSpec(WriteMode mode) {
    writeOptions();
    if (mode == WriteMode.DEDUP) {
      throw SourceErrors.dedupNeedsFileSource(table.name(), source.type());
    }
  }

  @Override
  public void checkTarget(SparkSession spark) {
    schema(spark).ifPresent(this::checkSchema); // one call to BigQuery
  }

  @Override
  public void checkSchema(StructType found) {
    conflict(table, found, StoredLayout.schema(table))
        .ifPresent(
            e -> {
              throw e;
            });
  }

  @Override
  public boolean stages(WriteMode mode) {
    return false;
  }

  @Override
  public StagedWrite stage(Dataset<Row> rows, WriteMode mode, String runId) {
    throw new UnsupportedOperationException(location() + ": cannot stage a write");
  }

  @Override
  public OptionalLong write(Dataset<Row> rows, WriteMode mode) {
    checkSpec(mode);
    append(StoredLayout.of(rows, table));
    return OptionalLong.empty();
  }

  private void append(Dataset<Row> stored) {
    try {
      stored.write().format(BigQueryOptions.FORMAT).options(writeOptions()).mode("append").save();
    } catch (RuntimeException e) {
      throw BigQueryReader.missingConnector(e);
    }
  }

  @Override
  public void appendLogged(Dataset<Row> rows, String streamId, long batchId) {
    throw SourceErrors.logNeedsFileSource(table.name());
  }

  /**
   * Why rows of {@code wanted}'s layout cannot be appended to a table of schema {@code found}, or
   * empty. BigQuery widens on its side: FLOAT is stored as FLOAT64 and INT32 as INT64.
   */
  static Optional<DataContractException> conflict(
      FeatureTable table, StructType found, StructType wanted) {
    for (StructField want : wanted.fields()) {
      Optional<StructField> have =
          Arrays.stream(found.fields()).filter(f -> f.name().equals(want.name())).findFirst();
      if (have.isEmpty()) {
        return Optional.of(
            DataErrors.missingBigQueryColumn(
                table.name(), want.name(), want.dataType().simpleString()));
      }
      if (!storable(want.dataType(), have.get().dataType())) {
        return Optional.of(
            DataErrors.columnType(
                table.name(),
                want.name(),
                have.get().dataType().simpleString() + " in the existing BigQuery table",
                want.dataType().simpleString(),
                "ingest into a new table, or migrate it"));
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
