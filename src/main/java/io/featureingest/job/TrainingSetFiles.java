package io.featureingest.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_json;

import io.featureingest.offline.BigQueryOptions;
import io.featureingest.offline.BigQueryReader;
import io.featureingest.spec.ConfigErrors;
import io.featureingest.spec.DataErrors;
import io.featureingest.spec.StoreErrors;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.LoggerFactory;

/** A training set's files: where the entity rows come from, and how the output is written. */
final class TrainingSetFiles {
  private TrainingSetFiles() {}

  /**
   * Writes the training set as {@code format} (parquet, csv, delta; bigquery: {@code output} is a
   * table) and answers the rows written, counted as they were written.
   */
  static long write(
      Dataset<Row> training, String output, String format, BigQueryOptions.Defaults bigquery) {
    SparkSession spark = training.sparkSession();
    Map<String, String> bigQueryOutput =
        format.equals("bigquery") ? BigQueryOptions.writeTable(output, bigquery) : Map.of();
    Observation observed = new Observation("retrieve");
    Dataset<Row> out =
        (format.equals("csv") ? forCsv(training) : training)
            .observe(observed, count(lit(1)).as("rows"));
    spark.sparkContext().setJobDescription("retrieve: point-in-time join, write " + output);
    long stage = System.nanoTime();
    var writer = out.write().mode(SaveMode.Overwrite).format(format);
    if (format.equals("csv")) {
      writer = writer.option("header", "true");
    }
    if (format.equals("bigquery")) {
      try {
        writer.options(bigQueryOutput).save();
      } catch (RuntimeException e) {
        throw BigQueryReader.missingConnector(e);
      }
    } else {
      writer.save(output);
    }
    long rows;
    try {
      rows = ((Number) observed.getAsJava().get("rows")).longValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while counting the rows written", e);
    }
    spark.sparkContext().setJobDescription(null);
    LoggerFactory.getLogger(TrainingSetFiles.class)
        .info(
            "retrieve: join and write: {} rows to {}, {} ms",
            rows,
            output,
            (System.nanoTime() - stage) / 1_000_000);
    return rows;
  }

  /** CSV holds no lists or bytes: lists become JSON arrays, bytes base64. */
  private static Dataset<Row> forCsv(Dataset<Row> data) {
    List<Column> out = new ArrayList<>();
    for (StructField f : data.schema().fields()) {
      Column c = col("`" + f.name() + "`");
      if (f.dataType() instanceof ArrayType || f.dataType() instanceof StructType) {
        c = to_json(c);
      } else if (f.dataType().equals(DataTypes.BinaryType)) {
        c = org.apache.spark.sql.functions.base64(c);
      }
      out.add(c.as(f.name()));
    }
    return data.select(out.toArray(Column[]::new));
  }

  static Dataset<Row> entities(
      SparkSession spark, String src, String timestampColumn, BigQueryOptions.Defaults bigquery) {
    String s = src.trim();
    if (s.startsWith("sql:")) {
      return spark.sql(s.substring(4));
    }
    if (s.startsWith("bq:")) {
      return BigQueryReader.readTable(spark, s.substring(3).trim(), bigquery);
    }
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".csv") || lower.endsWith(".csv.gz")) {
      requireExists(spark, s);
      return csv(spark, s, timestampColumn);
    }
    requireExists(spark, s);
    boolean delta = exists(spark, s + "/_delta_log");
    return spark.read().format(delta ? "delta" : "parquet").load(s);
  }

  /**
   * CSV: header row, types inferred, except the timestamp column, read as text and converted as an
   * ISO-8601 instant (UTC when it has no zone); a value that does not convert fails the run.
   */
  private static Dataset<Row> csv(SparkSession spark, String path, String ts) {
    StructType inferred =
        spark.read().option("header", "true").option("inferSchema", "true").csv(path).schema();
    List<StructField> fields = new ArrayList<>();
    for (StructField f : inferred.fields()) {
      fields.add(
          f.name().equals(ts) ? DataTypes.createStructField(ts, DataTypes.StringType, true) : f);
    }
    Dataset<Row> raw =
        spark.read().option("header", "true").schema(DataTypes.createStructType(fields)).csv(path);
    if (!List.of(raw.columns()).contains(ts)) {
      return raw; // the join names the missing column
    }
    Column text = col("`" + ts + "`");
    Column parsed = text.cast(DataTypes.TimestampType);
    List<Row> bad =
        raw.where(text.isNotNull().and(parsed.isNull())).select(text).limit(1).collectAsList();
    if (!bad.isEmpty()) {
      throw DataErrors.badEntityTimestamp(path, bad.get(0).getString(0), ts);
    }
    return raw.withColumn(ts, parsed);
  }

  private static void requireExists(SparkSession spark, String path) {
    if (!exists(spark, path)) {
      throw ConfigErrors.noSuchPath("--entities", path);
    }
  }

  private static boolean exists(SparkSession spark, String path) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      return fs.exists(p);
    } catch (IOException e) {
      throw StoreErrors.pathUnreachable("--entities", path, e);
    }
  }
}
