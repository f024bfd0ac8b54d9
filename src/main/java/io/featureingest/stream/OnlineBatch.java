package io.featureingest.stream;

import io.featureingest.online.OnlineTable;
import io.featureingest.online.OnlineWriter;
import io.featureingest.rows.Projected;
import io.featureingest.rows.Projection;
import io.featureingest.rows.ProjectionOptions;
import io.featureingest.rows.Quarantine;
import io.featureingest.rows.Validation;
import io.featureingest.source.stream.RawMessages;
import io.featureingest.spec.FeatureTable;
import java.time.Instant;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One batch of rows to the online store, for push: project and validate, quarantine what is
 * invalid, check the invalid fraction ({@link Validation}), keep the latest row per key and write
 * it newer-wins (rules 2, 4, 7). Stream micro-batches do the same in fewer Spark jobs ({@link
 * StreamBatch}).
 */
final class OnlineBatch {
  /** The quarantine's names for the raw-message columns (bytes are stored base64). */
  static final String RAW_MESSAGE = "raw_message";

  static final String SOURCE_POSITION = "source_position";
  static final String SOURCE_TIMESTAMP = "source_timestamp";

  private OnlineBatch() {}

  /** Where a batch's invalid rows go; the folder is replaced when a batch is retried. */
  record QuarantineTarget(String path, String runId) {}

  /** What a batch did. */
  record Result(
      long read, long quarantined, long written, long notNewer, Optional<String> quarantinePath) {}

  /**
   * Rows named as the table's batch source (entity and feature names, its event and created
   * timestamp columns), with {@code at} stamped as created timestamp where the input has none (rule
   * 3).
   */
  static Result run(
      FeatureTable table,
      Dataset<Row> input,
      QuarantineTarget quarantine,
      Push.Settings settings,
      Instant at) {
    var sc = input.sparkSession().sparkContext();
    ProjectionOptions options =
        ProjectionOptions.strict()
            .allowingMissingFeatures(settings.allowMissingFeatures())
            .stampedAt(at);
    Projected p = Projection.project(input, table, table.batchSource().columns(), options);

    sc.setJobDescription("count and validate " + table.name());
    Projected.Counts counts = p.counts();
    Validation.Outcome checked =
        Validation.check(
            p,
            counts,
            new Validation.Rules(
                table.name(),
                settings.maxInvalidFraction(),
                quarantine::path,
                (invalid, path) -> {
                  Quarantine.withStoredShape(withReadableNames(invalid), quarantine.runId(), at)
                      .write()
                      .mode("overwrite")
                      .parquet(path);
                  return counts.invalid();
                },
                "quarantine invalid rows of " + table.name(),
                "push " + table.name()));

    OnlineWriter.Counts written =
        OnlineWriter.writeLatest(
            checked.valid(),
            OnlineTable.of(table),
            settings.store(),
            settings.batchSize(),
            counts.total());
    sc.setJobDescription(null);
    return new Result(
        counts.total(),
        counts.invalid(),
        written.written(),
        written.notNewer(),
        checked.location());
  }

  /** The raw-message columns under names a person reading the quarantine understands. */
  static Dataset<Row> withReadableNames(Dataset<Row> rows) {
    return rows.withColumnRenamed(RawMessages.RAW, RAW_MESSAGE)
        .withColumnRenamed(RawMessages.POSITION, SOURCE_POSITION)
        .withColumnRenamed(RawMessages.SOURCE_TS, SOURCE_TIMESTAMP);
  }
}
