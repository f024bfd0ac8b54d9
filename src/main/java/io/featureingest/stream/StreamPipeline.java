package io.featureingest.stream;

import static org.apache.spark.sql.functions.col;

import io.featureingest.ingest.Projection;
import io.featureingest.ingest.Quarantine;
import io.featureingest.source.stream.MessageDecoding;
import io.featureingest.source.stream.RawMessages;
import io.featureingest.spec.ConfigException;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.SourceColumns;
import io.featureingest.spec.StreamSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A table's stream source to the online store with Structured Streaming: each micro-batch decodes
 * the messages, projects and validates them, quarantines what does not decode or is invalid (with
 * the raw bytes), writes the latest row per key newer-wins, and, when the source says {@code
 * log_to_batch_source}, appends the valid rows to the batch source exactly once ({@link
 * OfflineLog}).
 *
 * <pre>{@code
 * StreamingQuery q = StreamPipeline.start(spark, table, settings, figures -> log(figures));
 * q.awaitTermination();
 * }</pre>
 */
public final class StreamPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(StreamPipeline.class);

  private StreamPipeline() {}

  public static StreamingQuery start(
      SparkSession spark,
      FeatureTable table,
      StreamSettings settings,
      Consumer<BatchFigures> figures) {
    StreamSource source =
        table
            .streamSource()
            .orElseThrow(
                () ->
                    new ConfigException(
                        "table "
                            + table.name()
                            + " has no stream_source; declare one (type = kafka or kinesis)"
                            + " to run stream"));
    MessageDecoding decoding =
        MessageDecoding.of(source.format(), spark.sparkContext().hadoopConfiguration());
    Dataset<Row> raw = RawMessages.read(spark, source);
    MicroBatch batch =
        new MicroBatch(table, source, decoding, settings, streamId(table, settings), figures);
    try {
      return raw.writeStream()
          .queryName("feature-ingest stream " + table.name())
          .option("checkpointLocation", settings.checkpoint())
          .trigger(settings.trigger())
          .foreachBatch(batch)
          .start();
    } catch (TimeoutException e) {
      throw new IllegalStateException("stream " + table.name() + " did not start: " + e, e);
    }
  }

  /** Stable per table and checkpoint: the offline log's transaction id and file names. */
  static String streamId(FeatureTable table, StreamSettings settings) {
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(settings.checkpoint().getBytes(StandardCharsets.UTF_8));
      return table.name() + "-" + HexFormat.of().formatHex(digest, 0, 6);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The body of foreachBatch; runs on the driver, once per micro-batch (again on a retry). */
  private record MicroBatch(
      FeatureTable table,
      StreamSource source,
      MessageDecoding decoding,
      StreamSettings settings,
      String streamId,
      Consumer<BatchFigures> figures)
      implements VoidFunction2<Dataset<Row>, Long> {

    @Override
    public void call(Dataset<Row> batch, Long batchId) {
      long started = System.nanoTime();
      Instant at = Instant.now();
      // Decode once: the counts, the quarantine, the online write and the log all read it.
      Dataset<Row> decoded = decoding.withDecoded(batch).persist(StorageLevel.MEMORY_AND_DISK());
      try {
        Dataset<Row> undecodable =
            decoded
                .where(col(RawMessages.DECODE_ERROR).isNotNull())
                .select(
                    col(RawMessages.RAW),
                    col(RawMessages.POSITION),
                    col(RawMessages.SOURCE_TS),
                    col(RawMessages.DECODE_ERROR).as(Projection.REASON));
        Dataset<Row> messages =
            decoded.where(col(RawMessages.DECODE_ERROR).isNull()).drop(RawMessages.DECODE_ERROR);
        // One run folder per batch, like a batch job's run: the quarantine root reads as one
        // table partitioned by run, and a retried batch replaces its own folder.
        String runId = "stream-" + streamId + "-batch-" + batchId;
        String quarantine =
            Quarantine.location(
                settings.push().quarantineBase(), table.name(), table.batchSource(), runId);
        OnlineBatch.Result r =
            OnlineBatch.run(
                table,
                messages,
                withCreatedFromBroker(source.columns()),
                undecodable,
                new OnlineBatch.QuarantineTarget(quarantine, runId),
                settings.push(),
                at,
                false);
        if (source.logToBatchSource()) {
          OfflineLog.append(r.valid(), table, streamId, batchId);
        }
        Instant end = Instant.now();
        BatchFigures f =
            new BatchFigures(
                batchId,
                r.read(),
                r.quarantined(),
                r.written(),
                r.notNewer(),
                r.newestEvent().map(t -> Duration.between(t, end).toMillis()),
                (System.nanoTime() - started) / 1_000_000);
        LOG.info(
            "stream {} batch {}: {} messages in, {} quarantined, {} written, {} skipped as stale,"
                + " lag {} ms, {} ms",
            table.name(),
            batchId,
            f.inputRows(),
            f.quarantined(),
            f.written(),
            f.skippedStale(),
            f.lagMillis().map(String::valueOf).orElse("n/a"),
            f.durationMillis());
        figures.accept(f);
      } finally {
        decoded.unpersist();
      }
    }
  }

  /**
   * Rule 3 for streams: a message without a created timestamp column is versioned by the time the
   * broker appended it (Kafka's timestamp, Kinesis' arrival time), not by when a batch ran, so a
   * replayed batch carries the same versions and its online writes are no-ops.
   */
  static SourceColumns withCreatedFromBroker(SourceColumns columns) {
    if (columns.createdTimestampColumn().isPresent()) {
      return columns;
    }
    return new SourceColumns(
        columns.eventTimestampColumn(),
        Optional.of(RawMessages.SOURCE_TS),
        columns.fieldMapping(),
        columns.datePartitionColumn());
  }
}
