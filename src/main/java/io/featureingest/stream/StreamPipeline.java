package io.featureingest.stream;

import io.featureingest.offline.OfflineStore;
import io.featureingest.source.stream.MessageDecoding;
import io.featureingest.source.stream.RawMessages;
import io.featureingest.source.stream.Reachability;
import io.featureingest.spec.ConfigErrors;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.SourceColumns;
import io.featureingest.spec.StreamSource;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * A table's stream source to the online store with Structured Streaming: each micro-batch decodes
 * the messages, projects and validates them, quarantines what does not decode or is invalid (with
 * the raw bytes), writes the latest row per key newer-wins, and, when the source says {@code
 * log_to_batch_source}, appends the valid rows to the batch source exactly once ({@link
 * OfflineStore#appendLogged}).
 *
 * <pre>{@code
 * StreamingQuery q = StreamPipeline.start(spark, table, OfflineStores.of(table), settings,
 *     figures -> log(figures));
 * q.awaitTermination();
 * }</pre>
 */
public final class StreamPipeline {
  private StreamPipeline() {}

  public static StreamingQuery start(
      SparkSession spark,
      FeatureTable table,
      OfflineStore offline,
      StreamSettings settings,
      Consumer<BatchFigures> figures) {
    StreamSource source =
        table.streamSource().orElseThrow(() -> ConfigErrors.noStreamSource(table.name()));
    MessageDecoding decoding =
        MessageDecoding.of(source.format(), spark.sparkContext().hadoopConfiguration());
    Reachability.check(table.name(), source); // exit 4 now, not after minutes of retries
    Dataset<Row> raw = RawMessages.read(spark, source);
    UntilCaughtUp caughtUp =
        UntilCaughtUp.needed(source, settings.trigger()) ? new UntilCaughtUp() : null;
    StreamBatch batch =
        new StreamBatch(
            table,
            source,
            decoding,
            offline,
            settings,
            streamId(table, settings),
            figures,
            caughtUp);
    try {
      StreamingQuery query =
          raw.writeStream()
              .queryName("feature-ingest stream " + table.name())
              .option("checkpointLocation", settings.checkpoint())
              .trigger(caughtUp != null ? UntilCaughtUp.trigger() : settings.trigger())
              .foreachBatch(batch)
              .start();
      if (caughtUp != null) {
        caughtUp.watch(spark, query);
      }
      return query;
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
