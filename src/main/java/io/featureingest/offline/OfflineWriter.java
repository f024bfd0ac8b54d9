package io.featureingest.offline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;

import io.delta.tables.DeltaTable;
import io.featureingest.rows.NewestRow;
import io.featureingest.rows.Projection;
import io.featureingest.rows.SparkTypes;
import io.featureingest.rows.TableFrame;
import io.featureingest.spec.ConfigException;
import io.featureingest.spec.DataContractException;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.FileFormat;
import io.featureingest.spec.FileSource;
import io.featureingest.spec.SourceColumns;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Writes a {@link TableFrame} into a table's file batch source. Stored layout: entity and feature
 * columns under the spec's names, the event and created timestamps under the source's column names,
 * and, when {@code date_partition_column} is set, that column holding the UTC date of the event
 * timestamp as {@code yyyy-MM-dd} (always derived from the event time, so that windowed reads that
 * prune partitions find every row).
 */
public final class OfflineWriter {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(OfflineWriter.class);

  private OfflineWriter() {}

  /** The frame as stored: source column names, plus the date partition column when set. */
  public static Dataset<Row> withStoredLayout(Dataset<Row> frame, FeatureTable table) {
    SourceColumns sc = table.batchSource().columns();
    List<Column> out = new ArrayList<>();
    table.entityNames().forEach(n -> out.add(col(Projection.quote(n))));
    table.featureNames().forEach(n -> out.add(col(Projection.quote(n))));
    out.add(col(TableFrame.EVENT_TS).as(sc.eventTimestampColumn()));
    sc.createdTimestampColumn().ifPresent(c -> out.add(col(TableFrame.CREATED_TS).as(c)));
    sc.datePartitionColumn()
        .ifPresent(p -> out.add(date_format(col(TableFrame.EVENT_TS), "yyyy-MM-dd").as(p)));
    return frame.select(out.toArray(Column[]::new));
  }

  /** The schema {@link #withStoredLayout} produces. */
  public static StructType storedSchema(FeatureTable table) {
    SourceColumns sc = table.batchSource().columns();
    StructType s = new StructType();
    for (var e : table.entities()) {
      s = s.add(e.name(), SparkTypes.of(e.type()));
    }
    for (var f : table.features()) {
      s = s.add(f.name(), SparkTypes.of(f.type()));
    }
    s = s.add(sc.eventTimestampColumn(), DataTypes.TimestampType);
    if (sc.createdTimestampColumn().isPresent()) {
      s = s.add(sc.createdTimestampColumn().get(), DataTypes.TimestampType);
    }
    if (sc.datePartitionColumn().isPresent()) {
      s = s.add(sc.datePartitionColumn().get(), DataTypes.StringType);
    }
    return s;
  }

  /** The file source of a table, or a config error for sources ingest cannot write. */
  public static FileSource fileSource(FeatureTable table) {
    if (table.batchSource() instanceof FileSource f) {
      return f;
    }
    throw new ConfigException(
        "table "
            + table.name()
            + ": ingest writes file batch sources (parquet or delta); its batch source is "
            + table.batchSource().type());
  }

  /** Whether the target holds a table already (data files or a Delta log). */
  public static boolean targetExists(SparkSession spark, FeatureTable table) {
    FileSource f = fileSource(table);
    if (f.format() == FileFormat.DELTA) {
      return DeltaTable.isDeltaTable(spark, f.path());
    }
    try {
      Path path = new Path(f.path());
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(path)) {
        return false;
      }
      // A folder holding only _quarantine (a first run that failed) is no table yet.
      for (FileStatus s : fs.listStatus(path)) {
        String n = s.getPath().getName();
        if (!n.startsWith("_") && !n.startsWith(".")) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new io.featureingest.spec.StoreUnavailableException(
          "batch source " + f.path() + ": cannot list it: " + e.getMessage(), e);
    }
  }

  /**
   * Refuses, before anything is written, an existing target whose columns conflict with the spec:
   * an entity, timestamp or partition column missing, or any column of another type. A feature the
   * target lacks is a feature added to the spec: the write adds its column (nullable; the rows
   * written before read it as null). Extra stored columns are left alone.
   */
  public static void checkTarget(SparkSession spark, FeatureTable table) {
    if (!targetExists(spark, table)) {
      return;
    }
    FileSource f = fileSource(table);
    // the union of the Parquet files' columns, as the readers see them (source.BatchReader)
    StructType found =
        spark
            .read()
            .format(f.format().sparkName())
            .option("mergeSchema", "true")
            .load(f.path())
            .schema();
    Optional<String> partition = f.columns().datePartitionColumn();
    for (StructField want : storedSchema(table).fields()) {
      Optional<StructField> have =
          Arrays.stream(found.fields()).filter(x -> x.name().equals(want.name())).findFirst();
      boolean isPartition = partition.isPresent() && partition.get().equals(want.name());
      if (have.isEmpty() && table.featureNames().contains(want.name())) {
        LOG.info(
            "table {}: feature '{}' is new to the batch source at {}: its column is added",
            table.name(),
            want.name(),
            f.path());
        continue;
      }
      if (have.isEmpty()) {
        throw new DataContractException(
            "table "
                + table.name()
                + ": the existing batch source at "
                + f.path()
                + " has no column '"
                + want.name()
                + "' (found type: none, expected "
                + want.dataType().simpleString()
                + "; its columns: "
                + Arrays.stream(found.fields())
                    .map(x -> x.name() + " " + x.dataType().simpleString())
                    .collect(Collectors.joining(", "))
                + "). It was written under another spec: ingest into a new path, or migrate it");
      }
      DataType type = have.get().dataType();
      boolean ok =
          type.sameType(want.dataType())
              || (isPartition && type instanceof DateType); // Parquet infers yyyy-MM-dd as date
      if (!ok) {
        throw DataContractException.columnType(
            table.name(),
            want.name(),
            type.simpleString() + " in the existing batch source at " + f.path(),
            want.dataType().simpleString(),
            "it was written under another spec: ingest into a new path, or migrate it");
      }
    }
  }

  private static final String TIMESTAMP_TYPE = "spark.sql.parquet.outputTimestampType";

  /** Delta's write option that adds the frame's new columns to the table schema. */
  static final String DELTA_MERGE_SCHEMA = "mergeSchema";

  /** The session setting that lets a Delta MERGE add the source's new columns. */
  private static final String DELTA_AUTO_MERGE = "spark.databricks.delta.schema.autoMerge.enabled";

  /**
   * Runs {@code write} with Parquet timestamps stored as INT64 microseconds (Parquet's
   * TIMESTAMP_MICROS, which Spark, Delta, BigQuery and Trino read) instead of Spark's legacy INT96
   * default, whose per-value conversion made the two timestamp columns the dearest part of a write.
   * The session's setting is restored afterwards. Files of both kinds read back as the same
   * timestamps, so a table may hold both.
   */
  static <T> T withMicrosTimestamps(SparkSession spark, java.util.function.Supplier<T> write) {
    return withSetting(spark, TIMESTAMP_TYPE, "TIMESTAMP_MICROS", write);
  }

  /** Runs {@code action} with a session setting, restored afterwards. */
  private static <T> T withSetting(
      SparkSession spark, String key, String value, java.util.function.Supplier<T> action) {
    scala.Option<String> before = spark.conf().getOption(key);
    spark.conf().set(key, value);
    try {
      return action.get();
    } finally {
      if (before.isDefined()) {
        spark.conf().set(key, before.get());
      } else {
        spark.conf().unset(key);
      }
    }
  }

  /** Appends the stored layout; Parquet through Spark's commit protocol, Delta as one commit. */
  public static void append(Dataset<Row> stored, FeatureTable table) {
    withMicrosTimestamps(
        stored.sparkSession(),
        () -> {
          appendNow(stored, table);
          return null;
        });
  }

  private static void appendNow(Dataset<Row> stored, FeatureTable table) {
    FileSource f = fileSource(table);
    var writer = stored.write().format(f.format().sparkName()).mode("append");
    if (f.format() == FileFormat.DELTA) {
      writer = writer.option(DELTA_MERGE_SCHEMA, "true"); // a feature added to the spec
    }
    if (f.format() == FileFormat.DELTA && !targetExists(stored.sparkSession(), table)) {
      // Read on creation only: statistics on the columns readers filter by (see DeltaStaging).
      writer = writer.option(DeltaStaging.STATS_COLUMNS, DeltaStaging.statsColumns(table));
    }
    Optional<String> partition = f.columns().datePartitionColumn();
    if (partition.isPresent()) {
      writer = writer.partitionBy(partition.get());
    }
    writer.save(f.path());
  }

  /**
   * Delta dedup: one row per (entity key, event timestamp) remains, the one with the greatest
   * created timestamp. A stored row is replaced only by a newer created timestamp with different
   * values, so ingesting the same input twice leaves the table as it was.
   */
  public static long merge(SparkSession spark, Dataset<Row> stored, FeatureTable table) {
    FileSource f = requireDelta(table);
    SourceColumns sc = f.columns();
    List<String> key = new ArrayList<>(table.entityNames());
    key.add(sc.eventTimestampColumn());
    // rule 2 in its window form, ties broken by the other columns as on every other path
    Dataset<Row> source =
        NewestRow.withNewestPer(
            stored, key, sc.eventTimestampColumn(), sc.createdTimestampColumn());
    if (!targetExists(spark, table)) {
      append(source, table);
      return lastCommitRows(spark, f.path(), "numOutputRows");
    }
    String on =
        key.stream()
            .map(k -> "t." + Projection.quote(k) + " = s." + Projection.quote(k))
            .collect(Collectors.joining(" AND "));
    List<String> targetColumns =
        Arrays.asList(spark.read().format("delta").load(f.path()).columns());
    // a feature new to the table has no target column yet: any value of it is a change
    String changed =
        table.featureNames().stream()
            .map(
                n ->
                    targetColumns.contains(n)
                        ? "NOT (t." + Projection.quote(n) + " <=> s." + Projection.quote(n) + ")"
                        : "s." + Projection.quote(n) + " IS NOT NULL")
            .collect(Collectors.joining(" OR "));
    String newer =
        sc.createdTimestampColumn()
            .map(
                c -> {
                  String q = Projection.quote(c);
                  return "(s."
                      + q
                      + " > t."
                      + q
                      + " OR (t."
                      + q
                      + " IS NULL AND s."
                      + q
                      + " IS NOT NULL))";
                })
            .orElse("true");
    withMicrosTimestamps(
        spark,
        () ->
            withSetting(
                spark,
                DELTA_AUTO_MERGE,
                "true", // a feature added to the spec becomes a column of the table
                () -> {
                  DeltaTable.forPath(spark, f.path())
                      .as("t")
                      .merge(source.as("s"), on)
                      .whenMatched(newer + " AND (" + changed + ")")
                      .updateAll()
                      .whenNotMatched()
                      .insertAll()
                      .execute();
                  return null;
                }));
    return lastCommitRows(spark, f.path(), "numTargetRowsInserted", "numTargetRowsUpdated");
  }

  /** The Delta source of a table, or a config error: dedup by MERGE needs Delta. */
  public static FileSource requireDelta(FeatureTable table) {
    FileSource f = fileSource(table);
    if (f.format() != FileFormat.DELTA) {
      throw new ConfigException(
          "table "
              + table.name()
              + ": --dedup merges into a delta batch source; this one is "
              + f.format().sparkName()
              + ". Drop --dedup, or use format = delta");
    }
    return f;
  }

  private static long lastCommitRows(SparkSession spark, String path, String... metrics) {
    Row last = DeltaTable.forPath(spark, path).history(1).select("operationMetrics").first();
    scala.collection.Map<String, String> m = last.getMap(0);
    long sum = 0;
    for (String k : metrics) {
      sum += Long.parseLong(m.get(k).getOrElse(() -> "0"));
    }
    return sum;
  }
}
