package io.featureingest.job;

import io.featureingest.ingest.IngestResult;
import io.featureingest.offline.OfflineStore;
import io.featureingest.spec.ConfigErrors;
import io.featureingest.spec.FeatureTable;
import java.io.IOException;
import java.util.Locale;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = "Write rows from a file into a table's batch source (the offline store).")
final class IngestJob extends JobCommand {
  @Parameters(index = "0", paramLabel = "TABLE")
  String table;

  @Option(
      names = "--input",
      required = true,
      paramLabel = "PATH",
      description = "File or folder to read (any Hadoop URI).")
  String input;

  @Option(
      names = "--input-format",
      paramLabel = "FORMAT",
      description = "parquet, csv, json or delta (default: from the file name, else parquet).")
  String inputFormat;

  @Option(
      names = "--dedup",
      description =
          "Delta batch sources only: MERGE so that one row per (entity key, event timestamp)"
              + " remains, the one with the greatest created timestamp; re-runs are idempotent.")
  boolean dedup;

  @Mixin ValidationOptions validation;

  @Override
  String name() {
    return "ingest";
  }

  @Override
  void run(JobContext context) {
    FeatureTable spec = context.table(table);
    context.summary().table(spec.name());
    FeatureStore.Validation checks = validation.toValidation();
    checks.threshold(context.config()); // a bad threshold fails before Spark starts
    // So does a store that cannot be written at all (a BigQuery query, indirect writes without a
    // bucket); Ingestion checks --dedup with the rest of the spec.
    OfflineStores.of(spec, context.config()).checkSpec(OfflineStore.WriteMode.APPEND);
    SparkSession spark = context.spark();
    Dataset<Row> rows = read(spark, input, format(spark));
    try {
      report(context, context.store().ingest(spec.name(), rows, checks, dedup));
    } catch (RuntimeException e) {
      context.summary().put("input", input);
      throw e;
    }
  }

  private static void report(JobContext context, IngestResult r) {
    context
        .summary()
        .count("rows_read", r.rowsRead())
        .count("rows_valid", r.rowsValid())
        .count("rows_quarantined", r.rowsQuarantined())
        .count("rows_written", r.rowsWritten())
        .put("target", r.target())
        .put("dropped_columns", r.droppedColumns())
        .put("missing_features", r.missingFeatures())
        .output(r.target());
    r.quarantinePath().ifPresent(q -> context.summary().put("quarantine", q));
  }

  private String format(SparkSession spark) {
    return format(spark, input, inputFormat);
  }

  /**
   * The input's format: the flag, else csv or json by the file name, else delta when the folder has
   * a {@code _delta_log}, else parquet. Shared by ingest and push.
   */
  static String format(SparkSession spark, String input, String inputFormat) {
    if (inputFormat != null) {
      String f = inputFormat.trim().toLowerCase(Locale.ROOT);
      if (!java.util.List.of("parquet", "csv", "json", "delta").contains(f)) {
        throw ConfigErrors.oneOf(
            "--input-format", java.util.List.of("parquet", "csv", "json", "delta"), inputFormat);
      }
      return f;
    }
    String lower = input.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".csv") || lower.endsWith(".csv.gz")) {
      return "csv";
    }
    if (lower.endsWith(".json") || lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) {
      return "json";
    }
    return exists(spark, input + "/_delta_log") ? "delta" : "parquet";
  }

  /**
   * Reads the input. CSV: header row, every column as a string (no inference), so the spec's types
   * and the lossless conversion rules decide, and a bad value is quarantined with its text.
   */
  static Dataset<Row> read(SparkSession spark, String path, String format) {
    if (!exists(spark, path)) {
      throw ConfigErrors.noSuchPath("--input", path);
    }
    return switch (format) {
      case "csv" -> spark.read().option("header", "true").option("inferSchema", "false").csv(path);
      case "json" -> spark.read().json(path);
      default -> spark.read().format(format).load(path);
    };
  }

  private static boolean exists(SparkSession spark, String path) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      return fs.exists(p);
    } catch (IOException | IllegalArgumentException e) {
      throw ConfigErrors.cannotRead("--input " + path, e);
    }
  }
}
