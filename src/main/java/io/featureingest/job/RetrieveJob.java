package io.featureingest.job;

import com.typesafe.config.Config;
import io.featureingest.join.JoinOptions;
import io.featureingest.offline.BigQueryOptions;
import io.featureingest.spec.ConfigErrors;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
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
  void run(JobContext context) {
    String format = outputFormat.trim().toLowerCase(Locale.ROOT);
    if (!List.of("parquet", "csv", "delta", "bigquery").contains(format)) {
      throw ConfigErrors.oneOf(
          "--output-format", List.of("parquet", "csv", "delta", "bigquery"), outputFormat);
    }
    if (format.equals("bigquery")) {
      // Before any Spark work, so a malformed table reference fails fast with exit 2.
      BigQueryOptions.writeTable(output, BigQueryOptions.Defaults.from(context.config()));
    }
    JoinOptions options = options(context.config(), entityTimestampColumn);
    TrainingSets.parseFeatures(features, context.repo().featureLists())
        .forEach(r -> context.summary().table(r.table()));
    FeatureStore store = context.store();
    Dataset<Row> entityRows = store.entityRows(entities, options.entityTimestampColumn());
    RetrieveResult r = store.retrieve(entityRows, features, options, output, format);
    r.storedRowsLeftOut()
        .forEach(
            (table, n) -> {
              if (n > 0) {
                LoggerFactory.getLogger(RetrieveJob.class)
                    .warn(
                        "retrieve: {} stored rows of {} break the table's contract (a null or"
                            + " unconvertible key, a bad timestamp) and took no part in the"
                            + " training set; ingest quarantines such rows, so they were written"
                            + " another way",
                        n,
                        table);
              }
            });
    context
        .summary()
        .count("rows_read", r.rows())
        .count("rows_written", r.rows())
        .count("stored_rows_left_out", r.storedRowsLeftOutTotal())
        .put("stored_rows_left_out_by_table", r.storedRowsLeftOut())
        .put("features", r.features())
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
}
