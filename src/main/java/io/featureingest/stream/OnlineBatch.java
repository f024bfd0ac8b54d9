package io.featureingest.stream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.when;

import io.featureingest.online.OnlineTable;
import io.featureingest.online.OnlineWriter;
import io.featureingest.rows.Projected;
import io.featureingest.rows.Projection;
import io.featureingest.rows.ProjectionOptions;
import io.featureingest.rows.Quarantine;
import io.featureingest.rows.TableFrame;
import io.featureingest.source.stream.RawMessages;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.SourceColumns;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One batch of rows to the online store, for push: project and validate, quarantine what is
 * invalid, check the invalid fraction, keep the latest row per key and write it newer-wins (rules
 * 2, 4, 7). Stream micro-batches do the same in fewer Spark jobs ({@link StreamBatch}).
 */
final class OnlineBatch {
  /** The quarantine's names for the raw-message columns (bytes are stored base64). */
  static final String RAW_MESSAGE = "raw_message";

  static final String SOURCE_POSITION = "source_position";
  static final String SOURCE_TIMESTAMP = "source_timestamp";

  private OnlineBatch() {}

  /** Where a batch's invalid rows go; the folder is replaced when a batch is retried. */
  record QuarantineTarget(String path, String runId) {}

  /** What a batch did; {@code valid} is the valid TableFrame (lazy), for the offline log. */
  record Result(
      long read,
      long quarantined,
      long written,
      long notNewer,
      Optional<Instant> newestEvent,
      Optional<String> quarantinePath,
      Dataset<Row> valid) {}

  /**
   * @param input rows named as {@code columns} expects (message fields, or push input)
   * @param undecodable messages that did not decode (raw-message columns + reason), or null
   * @param stampCreated stamp {@code at} as created timestamp where the input has none (rule 3)
   */
  static Result run(
      FeatureTable table,
      Dataset<Row> input,
      SourceColumns columns,
      Dataset<Row> undecodable,
      QuarantineTarget quarantine,
      Push.Settings settings,
      Instant at,
      boolean stampCreated) {
    var sc = input.sparkSession().sparkContext();
    ProjectionOptions options =
        ProjectionOptions.strict().allowingMissingFeatures(settings.allowMissingFeatures());
    if (stampCreated) {
      options = options.stampedAt(at);
    }
    Projected p = Projection.project(input, table, columns, options);

    sc.setJobDescription("count and validate " + table.name());
    Row counts =
        p.flagged()
            .agg(
                count(lit(1)),
                count(col(Projection.FLAG_REASON)),
                max(when(col(Projection.FLAG_REASON).isNull(), col(TableFrame.EVENT_TS))))
            .first();
    long undecodableCount = undecodable == null ? 0 : undecodable.count();
    long read = counts.getLong(0) + undecodableCount;
    long invalid = counts.getLong(1) + undecodableCount;
    Optional<Instant> newest =
        counts.isNullAt(2)
            ? Optional.empty()
            : Optional.of(((Timestamp) counts.get(2)).toInstant());

    Optional<String> quarantined = Optional.empty();
    if (invalid > 0) {
      sc.setJobDescription("quarantine invalid rows of " + table.name());
      Dataset<Row> dead =
          Quarantine.withStoredShape(withReadableNames(p.invalid()), quarantine.runId(), at);
      if (undecodableCount > 0) {
        dead =
            dead.unionByName(
                Quarantine.withStoredShape(withReadableNames(undecodable), quarantine.runId(), at),
                true);
      }
      dead.write().mode("overwrite").parquet(quarantine.path());
      quarantined = Optional.of(quarantine.path());
    }
    Quarantine.checkThreshold(
        table.name(), read, invalid, settings.maxInvalidFraction(), quarantined.orElse("(none)"));

    OnlineWriter.Counts written =
        OnlineWriter.writeLatest(
            p.valid(), OnlineTable.of(table), settings.store(), settings.batchSize(), read);
    sc.setJobDescription(null);
    return new Result(
        read, invalid, written.written(), written.notNewer(), newest, quarantined, p.valid());
  }

  /** The raw-message columns under names a person reading the quarantine understands. */
  static Dataset<Row> withReadableNames(Dataset<Row> rows) {
    return rows.withColumnRenamed(RawMessages.RAW, RAW_MESSAGE)
        .withColumnRenamed(RawMessages.POSITION, SOURCE_POSITION)
        .withColumnRenamed(RawMessages.SOURCE_TS, SOURCE_TIMESTAMP);
  }
}
