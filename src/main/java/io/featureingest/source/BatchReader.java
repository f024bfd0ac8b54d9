package io.featureingest.source;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import io.featureingest.offline.BigQueryReader;
import io.featureingest.rows.Conversions;
import io.featureingest.rows.Projection;
import io.featureingest.spec.BatchSource;
import io.featureingest.spec.BigQuerySource;
import io.featureingest.spec.ConfigException;
import io.featureingest.spec.FileSource;
import io.featureingest.spec.SourceColumns;
import io.featureingest.spec.StoreUnavailableException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.TimestampType;

/**
 * Reads a table's batch source as it is stored (source column names and types; project it with
 * {@code Projection}). File sources: Parquet (partition folders {@code <date_partition_column>=
 * yyyy-MM-dd} are discovered; folders starting with {@code _} such as {@code _quarantine} are not
 * data) and Delta.
 *
 * <p>Partition value format: {@code ingest} writes {@code date_partition_column} as the UTC date of
 * the event timestamp, {@code yyyy-MM-dd}; the windowed read prunes on that.
 */
public final class BatchReader {
  /** The format of date partition values, written by ingest and pruned on here. */
  public static final DateTimeFormatter PARTITION_DATE = DateTimeFormatter.ISO_LOCAL_DATE;

  private BatchReader() {}

  /** The whole source. */
  public static Dataset<Row> read(SparkSession spark, BatchSource source) {
    if (source instanceof FileSource f) {
      return readFile(spark, f);
    }
    return BigQueryReader.read(
        spark, (BigQuerySource) source, java.util.Optional.empty(), java.util.Optional.empty());
  }

  /**
   * Rows whose event time is in {@code [start, end)}, pruning date partitions when the source has a
   * {@code date_partition_column}. Rows whose event timestamp is null or does not parse are not in
   * any window.
   */
  public static Dataset<Row> read(
      SparkSession spark, BatchSource source, Instant start, Instant end) {
    if (!start.isBefore(end)) {
      throw new ConfigException("window start " + start + " must be before end " + end);
    }
    // BigQuery filters the window on its side (only [start, end) crosses the network); the exact
    // test below then runs on what came back, as for files.
    Dataset<Row> all =
        source instanceof BigQuerySource bq
            ? BigQueryReader.read(
                spark, bq, java.util.Optional.of(start), java.util.Optional.of(end))
            : read(spark, source);
    return withWindow(all, source.columns(), start, end);
  }

  /** Whether a file source holds data yet (its path exists); BigQuery answers true. */
  public static boolean exists(SparkSession spark, BatchSource source) {
    if (!(source instanceof FileSource f)) {
      return true;
    }
    try {
      Path path = new Path(f.path());
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      return fs.exists(path);
    } catch (java.io.IOException e) {
      throw new StoreUnavailableException(
          "batch source " + f.path() + ": cannot reach its file system: " + e.getMessage(), e);
    }
  }

  /** The window filter: partitions first (pruned by Spark), then the exact event-time test. */
  public static Dataset<Row> withWindow(
      Dataset<Row> rows, SourceColumns columns, Instant start, Instant end) {
    Dataset<Row> out = rows;
    Optional<StructField> partition = columns.datePartitionColumn().flatMap(p -> field(rows, p));
    if (partition.isPresent()) {
      LocalDate first = LocalDate.ofInstant(start, ZoneOffset.UTC);
      LocalDate last = LocalDate.ofInstant(end.minusNanos(1), ZoneOffset.UTC);
      Column p = col(Projection.quote(partition.get().name()));
      out =
          partition.get().dataType() instanceof DateType
              ? out.where(p.between(lit(first), lit(last)))
              : out.where(
                  p.cast("string")
                      .between(first.format(PARTITION_DATE), last.format(PARTITION_DATE)));
    }
    String eventName = columns.eventTimestampColumn();
    Optional<StructField> event = field(rows, eventName);
    Column ts;
    if (event.isPresent()) {
      String ref = Projection.quote(event.get().name());
      ts =
          event.get().dataType() instanceof TimestampType
              ? col(ref)
              : expr(Conversions.timestamp(ref, event.get().dataType()).value());
    } else if (columns.fieldMapping().containsKey(eventName)) {
      String source = columns.fieldMapping().get(eventName);
      Optional<StructField> mapped = field(rows, source);
      String ref = mapped.map(m -> Projection.quote(m.name())).orElse("(" + source + ")");
      var type =
          mapped.isPresent()
              ? mapped.get().dataType()
              : rows.select(expr(source)).schema().fields()[0].dataType();
      ts = expr(Conversions.timestamp(ref, type).value());
    } else {
      throw new io.featureingest.spec.DataContractException(
          "batch source: event timestamp column '"
              + eventName
              + "' is missing (columns: "
              + Arrays.toString(rows.columns())
              + "); set event_timestamp_column or field_mapping");
    }
    return out.where(ts.geq(lit(start)).and(ts.lt(lit(end))));
  }

  private static Dataset<Row> readFile(SparkSession spark, FileSource f) {
    if (!exists(spark, f)) {
      throw new StoreUnavailableException(
          "batch source "
              + f.path()
              + " ("
              + f.format().sparkName()
              + ") does not exist: nothing has been ingested into it yet; run ingest first",
          null);
    }
    var reader = spark.read().format(f.format().sparkName());
    if (f.format() == io.featureingest.spec.FileFormat.PARQUET) {
      // Files written before a feature was added to the spec lack its column: the schema is the
      // union of the files' footers (read in a Spark job), and those rows read it as null.
      reader = reader.option("mergeSchema", "true");
    }
    return reader.load(f.path());
  }

  private static Optional<StructField> field(Dataset<Row> rows, String name) {
    return Arrays.stream(rows.schema().fields())
        .filter(x -> x.name().equalsIgnoreCase(name))
        .findFirst();
  }
}
