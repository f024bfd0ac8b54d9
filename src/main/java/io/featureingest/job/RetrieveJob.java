package io.featureingest.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_json;

import com.typesafe.config.Config;
import io.featureingest.join.FeatureRef;
import io.featureingest.join.JoinOptions;
import io.featureingest.offline.BigQueryOptions;
import io.featureingest.offline.BigQueryReader;
import io.featureingest.spec.ConfigException;
import io.featureingest.spec.DataContractException;
import io.featureingest.spec.StoreUnavailableException;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "retrieve",
    mixinStandardHelpOptions = true,
    description = "Build a training set: a point-in-time join of entity rows with feature tables.")
final class RetrieveJob extends JobCommand {
  @Option(
      names = "--entities",
      required = true,
      paramLabel = "SRC",
      description = "PATH (parquet, csv, delta), bq:TABLE or sql:QUERY.")
  String entities;

  @Option(
      names = "--features",
      required = true,
      paramLabel = "LIST",
      description = "table:feature,... or the name of a feature list in the config.")
  String features;

  @Option(names = "--output", required = true, paramLabel = "PATH")
  String output;

  @Option(
      names = "--output-format",
      defaultValue = "parquet",
      paramLabel = "FORMAT",
      description =
          "parquet, csv, delta or bigquery (then --output is a table: project:dataset.table)"
              + " (default: ${DEFAULT-VALUE}).")
  String outputFormat;

  @Option(
      names = "--entity-timestamp-column",
      paramLabel = "COLUMN",
      description =
          "The entity data's timestamp column (default: retrieve.entity_timestamp_column,"
              + " event_timestamp).")
  String entityTimestampColumn;

  @Override
  String name() {
    return "retrieve";
  }

  @Override
  void run(JobContext context) throws InterruptedException {
    String format = outputFormat.trim().toLowerCase(Locale.ROOT);
    if (!List.of("parquet", "csv", "delta", "bigquery").contains(format)) {
      throw ConfigException.at("--output-format", "parquet, csv, delta or bigquery", outputFormat);
    }
    BigQueryOptions.Defaults bigquery = BigQueryOptions.Defaults.from(context.config());
    // Checked before any Spark work, so a malformed table reference fails fast with exit 2.
    Map<String, String> bigQueryOutput =
        format.equals("bigquery") ? BigQueryOptions.writeTable(output, bigquery) : Map.of();
    JoinOptions options = options(context.config(), entityTimestampColumn);
    List<FeatureRef> refs = TrainingSets.parseFeatures(features, context.repo().featureLists());
    refs.forEach(r -> context.summary().table(r.table()));
    SparkSession spark = context.spark();
    Dataset<Row> entityRows =
        EntitySource.read(spark, entities, options.entityTimestampColumn(), bigquery);
    Dataset<Row> training = TrainingSets.retrieve(spark, entityRows, refs, context::table, options);

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
    long rows = ((Number) observed.getAsJava().get("rows")).longValue();
    spark.sparkContext().setJobDescription(null);
    LoggerFactory.getLogger(RetrieveJob.class)
        .info(
            "retrieve: join and write: {} rows to {}, {} ms",
            rows,
            output,
            (System.nanoTime() - stage) / 1_000_000);
    Map<String, Long> leftOut = TrainingSets.storedRowsLeftOut(spark, refs, context::table);
    leftOut.forEach(
        (table, n) -> {
          if (n > 0) {
            LoggerFactory.getLogger(RetrieveJob.class)
                .warn(
                    "retrieve: {} stored rows of {} break the table's contract (a null or"
                        + " unconvertible key, a bad timestamp) and took no part in the training"
                        + " set; ingest quarantines such rows, so they were written another way",
                    n,
                    table);
          }
        });
    context
        .summary()
        .count("rows_read", rows)
        .count("rows_written", rows)
        .count("stored_rows_left_out", leftOut.values().stream().mapToLong(Long::longValue).sum())
        .put("stored_rows_left_out_by_table", leftOut)
        .put("features", refs.stream().map(FeatureRef::column).toList())
        .put("entities", entities)
        .output(output);
  }

  /** Flag first, then retrieve.* in the config, then the defaults. */
  static JoinOptions options(Config config, String timestampFlag) {
    JoinOptions o = JoinOptions.defaults();
    if (config.hasPath("retrieve.entity_timestamp_column")) {
      o = o.withEntityTimestampColumn(config.getString("retrieve.entity_timestamp_column"));
    }
    if (timestampFlag != null) {
      o = o.withEntityTimestampColumn(timestampFlag);
    }
    if (config.hasPath("retrieve.skew")) {
      Config s = config.getConfig("retrieve.skew");
      o =
          o.withSkew(
              s.hasPath("rows_per_bucket") ? s.getLong("rows_per_bucket") : o.skewRowsPerBucket(),
              s.hasPath("sample_fraction")
                  ? s.getDouble("sample_fraction")
                  : o.skewSampleFraction(),
              s.hasPath("max_buckets_per_key")
                  ? s.getInt("max_buckets_per_key")
                  : o.maxBucketsPerKey());
    }
    return o;
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

  /** Where the entity rows come from: a file, a Spark SQL query or a BigQuery table. */
  static final class EntitySource {
    private EntitySource() {}

    static Dataset<Row> read(
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
     * CSV: header row, types inferred, except the timestamp column, read as text and converted as
     * an ISO-8601 instant (UTC when it has no zone); a value that does not convert fails the run.
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
          spark
              .read()
              .option("header", "true")
              .schema(DataTypes.createStructType(fields))
              .csv(path);
      if (!List.of(raw.columns()).contains(ts)) {
        return raw; // the join names the missing column
      }
      Column text = col("`" + ts + "`");
      Column parsed = text.cast(DataTypes.TimestampType);
      List<Row> bad =
          raw.where(text.isNotNull().and(parsed.isNull())).select(text).limit(1).collectAsList();
      if (!bad.isEmpty()) {
        throw new DataContractException(
            "entity data "
                + path
                + ": value '"
                + bad.get(0).getString(0)
                + "' of column '"
                + ts
                + "' is not an ISO-8601 timestamp (e.g. 2019-01-01T02:00:00Z)");
      }
      return raw.withColumn(ts, parsed);
    }

    private static void requireExists(SparkSession spark, String path) {
      if (!exists(spark, path)) {
        throw new ConfigException("--entities " + path + ": no such file or folder");
      }
    }

    private static boolean exists(SparkSession spark, String path) {
      try {
        Path p = new Path(path);
        FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
        return fs.exists(p);
      } catch (IOException e) {
        throw new StoreUnavailableException("--entities " + path + ": " + e.getMessage(), e);
      }
    }
  }
}
