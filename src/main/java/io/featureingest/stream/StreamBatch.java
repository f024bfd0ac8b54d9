package io.featureingest.stream;

import static org.apache.spark.sql.functions.col;

import io.featureingest.ingest.Projected;
import io.featureingest.ingest.Projection;
import io.featureingest.ingest.ProjectionOptions;
import io.featureingest.ingest.Quarantine;
import io.featureingest.ingest.TableFrame;
import io.featureingest.online.OnlineTable;
import io.featureingest.online.OnlineWriter;
import io.featureingest.source.stream.MessageDecoding;
import io.featureingest.source.stream.RawMessages;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.SourceColumns;
import io.featureingest.spec.StreamSource;
import java.io.Serializable;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of the stream's foreachBatch; runs on the driver, once per micro-batch (again on a
 * retry). A batch costs two Spark jobs when every message is valid:
 *
 * <ol>
 *   <li>decode and project, cached; each task returns its figures (messages, undecodable, invalid,
 *       newest valid event time, oldest broker time) — one stage, no shuffle, no separate counts;
 *   <li>only when some message is invalid: the quarantine write, then the invalid-fraction check,
 *       still before anything is written (rule 7);
 *   <li>the latest row per key ({@link LatestInTask}: one task for a small batch, no shuffle)
 *       written newer-wins from that task;
 *   <li>optionally, the offline log ({@link OfflineLog}), from the cache.
 * </ol>
 */
final class StreamBatch implements VoidFunction2<Dataset<Row>, Long> {
  private static final Logger LOG = LoggerFactory.getLogger(StreamBatch.class);

  private final FeatureTable table;
  private final StreamSource source;
  private final MessageDecoding decoding;
  private final StreamSettings settings;
  private final String streamId;
  private final Consumer<BatchFigures> figures;
  private final UntilCaughtUp caughtUp;

  StreamBatch(
      FeatureTable table,
      StreamSource source,
      MessageDecoding decoding,
      StreamSettings settings,
      String streamId,
      Consumer<BatchFigures> figures,
      UntilCaughtUp caughtUp) {
    this.table = table;
    this.source = source;
    this.decoding = decoding;
    this.settings = settings;
    this.streamId = streamId;
    this.figures = figures;
    this.caughtUp = caughtUp;
  }

  /** What the tasks of the first job saw, summed on the driver. */
  record Tally(long rows, long undecodable, long invalid, long newestEvent, long oldestSource)
      implements Serializable {
    static final Tally EMPTY = new Tally(0, 0, 0, Long.MIN_VALUE, Long.MAX_VALUE);

    Tally plus(Tally o) {
      return new Tally(
          rows + o.rows,
          undecodable + o.undecodable,
          invalid + o.invalid,
          Math.max(newestEvent, o.newestEvent),
          Math.min(oldestSource, o.oldestSource));
    }

    Optional<Instant> newest() {
      return newestEvent == Long.MIN_VALUE
          ? Optional.empty()
          : Optional.of(Instant.ofEpochMilli(newestEvent));
    }
  }

  @Override
  public void call(Dataset<Row> batch, Long batchId) {
    long started = System.nanoTime();
    Instant at = Instant.now();
    var sc = batch.sparkSession().sparkContext();
    // Decode once: the figures, the quarantine, the online write and the log all read the cache.
    Dataset<Row> decoded = decoding.withDecoded(batch).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      SourceColumns columns = StreamPipeline.withCreatedFromBroker(source.columns());
      ProjectionOptions options =
          ProjectionOptions.strict()
              .allowingMissingFeatures(settings.push().allowMissingFeatures());
      Dataset<Row> messages =
          decoded.where(col(RawMessages.DECODE_ERROR).isNull()).drop(RawMessages.DECODE_ERROR);
      Projected p = Projection.project(messages, table, columns, options);

      sc.setJobDescription("decode and validate batch " + batchId + " of " + table.name());
      Tally tally = tally(Projection.project(decoded, table, columns, options));
      long invalid = tally.invalid() + tally.undecodable();

      Optional<String> quarantined = Optional.empty();
      if (invalid > 0) {
        quarantined = Optional.of(quarantine(p, decoded, batchId, at));
      }
      Quarantine.checkThreshold(
          table.name(),
          tally.rows(),
          invalid,
          settings.push().maxInvalidFraction(),
          quarantined.orElse("(none)"));

      long valid = tally.rows() - invalid;
      OnlineWriter.Counts written = new OnlineWriter.Counts(0, 0);
      if (valid > 0) {
        Dataset<Row> latest =
            LatestInTask.withLatestPerKey(
                p.valid(), table.entityNames(), valid, sc.defaultParallelism());
        written =
            OnlineWriter.write(
                latest,
                OnlineTable.of(table),
                settings.push().store(),
                settings.push().batchSize());
        if (source.logToBatchSource()) {
          OfflineLog.append(p.valid(), table, streamId, batchId);
        }
      }
      sc.setJobDescription(null);
      Instant end = Instant.now();
      BatchFigures f =
          new BatchFigures(
              batchId,
              tally.rows(),
              invalid,
              written.written(),
              written.notNewer(),
              tally.newest().map(t -> Duration.between(t, end).toMillis()),
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
      if (caughtUp != null) {
        caughtUp.afterBatch(batchId, tally.rows(), tally.oldestSource());
      }
    } finally {
      decoded.unpersist();
    }
  }

  /**
   * One job over the decoded batch, which it caches: each task returns its own figures. {@code all}
   * is the projection of every decoded message (undecodable ones included, with their {@link
   * RawMessages#DECODE_ERROR}), so one pass counts both kinds.
   */
  private static Tally tally(Projected all) {
    List<Tally> parts =
        all.flagged()
            .select(
                col(RawMessages.DECODE_ERROR),
                col(Projection.FLAG_INVALID),
                col(TableFrame.EVENT_TS),
                col(RawMessages.SOURCE_TS))
            .toJavaRDD()
            .mapPartitions(StreamBatch::tallyOf)
            .collect();
    return parts.stream().reduce(Tally.EMPTY, Tally::plus);
  }

  private static Iterator<Tally> tallyOf(Iterator<Row> rows) {
    long n = 0;
    long undecodable = 0;
    long invalid = 0;
    long newest = Long.MIN_VALUE;
    long oldest = Long.MAX_VALUE;
    while (rows.hasNext()) {
      Row r = rows.next();
      n++;
      if (!r.isNullAt(3)) {
        oldest = Math.min(oldest, ((Timestamp) r.get(3)).getTime());
      }
      if (!r.isNullAt(0)) {
        undecodable++;
      } else if (r.isNullAt(1) || r.getBoolean(1)) {
        invalid++;
      } else if (!r.isNullAt(2)) {
        newest = Math.max(newest, ((Timestamp) r.get(2)).getTime());
      }
    }
    return List.of(new Tally(n, undecodable, invalid, newest, oldest)).iterator();
  }

  /**
   * The batch's invalid and undecodable messages, in one run folder per batch like a batch job's
   * run: the quarantine root reads as one table partitioned by run, and a retried batch replaces
   * its own folder.
   */
  private String quarantine(Projected p, Dataset<Row> decoded, long batchId, Instant at) {
    String runId = "stream-" + streamId + "-batch-" + batchId;
    String path =
        Quarantine.location(
            settings.push().quarantineBase(), table.name(), table.batchSource(), runId);
    decoded.sparkSession().sparkContext().setJobDescription("quarantine of " + table.name());
    Dataset<Row> undecodable =
        decoded
            .where(col(RawMessages.DECODE_ERROR).isNotNull())
            .select(
                col(RawMessages.RAW),
                col(RawMessages.POSITION),
                col(RawMessages.SOURCE_TS),
                col(RawMessages.DECODE_ERROR).as(Projection.REASON));
    Quarantine.withStoredShape(OnlineBatch.withReadableNames(p.invalid()), runId, at)
        .unionByName(
            Quarantine.withStoredShape(OnlineBatch.withReadableNames(undecodable), runId, at), true)
        .write()
        .mode("overwrite")
        .parquet(path);
    return path;
  }
}
