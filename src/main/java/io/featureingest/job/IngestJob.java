package io.featureingest.job;

import io.featureingest.ingest.IngestOptions;
import io.featureingest.ingest.IngestResult;
import io.featureingest.ingest.Ingestion;
import io.featureingest.offline.OfflineStore;
import io.featureingest.spec.ConfigException;
import io.featureingest.spec.FeatureTable;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
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
    double maxInvalid = validation.maxInvalidFraction(context.config());
    Optional<String> quarantine =
        context.config().hasPath("validation.quarantine_path")
            ? Optional.of(context.config().getString("validation.quarantine_path"))
                .filter(s -> !s.isBlank())
            : Optional.empty();
    OfflineStore store = OfflineStores.of(spec, context.config());
    // Before any Spark work: a store that cannot be written at all (a BigQuery query, indirect
    // writes without a bucket) fails fast; Ingestion checks --dedup with the rest of the spec.
    store.checkSpec(OfflineStore.WriteMode.APPEND);
    SparkSession spark = context.spark();
    Dataset<Row> rows = read(spark, input, format(spark));
    IngestOptions options =
        new IngestOptions(
            validation.allowMissingFeatures(),
            maxInvalid,
            dedup,
            quarantine,
            context.summary().runId(),
            context.summary().started());
    try {
      IngestResult result = Ingestion.ingest(spark, spec, rows, options, store);
      report(context, result);
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
        throw ConfigException.at("--input-format", "parquet, csv, json or delta", inputFormat);
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
      throw new ConfigException("--input " + path + ": no such file or folder");
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
      throw new ConfigException("--input " + path + ": cannot read it: " + e.getMessage());
    }
  }
}
