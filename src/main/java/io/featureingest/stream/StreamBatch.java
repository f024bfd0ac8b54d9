package io.featureingest.stream;

import static org.apache.spark.sql.functions.col;

import io.featureingest.offline.OfflineStore;
import io.featureingest.online.OnlineTable;
import io.featureingest.online.OnlineWriter;
import io.featureingest.rows.LatestInTask;
import io.featureingest.rows.LatestInTask.Picker;
import io.featureingest.rows.Projected;
import io.featureingest.rows.Projection;
import io.featureingest.rows.ProjectionOptions;
import io.featureingest.rows.Quarantine;
import io.featureingest.rows.Validation;
import io.featureingest.source.stream.MessageDecoding;
import io.featureingest.source.stream.RawMessages;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.KafkaSource;
import io.featureingest.spec.StreamSource;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of the stream's foreachBatch; runs on the driver, once per micro-batch (again on a
 * retry). A batch of valid messages costs ONE Spark job when it is small:
 *
 * <ol>
 *   <li>decode (into the cache when the batch is read again), validate and keep each task's latest
 *       row per key; the messages are counted on the way ({@link MessageTally}) and each task hands
 *       back its valid count, newest event time and, when they are few ({@link #ROWS_TO_DRIVER}),
 *       its latest rows;
 *   <li>only when some message is invalid: the quarantine write, then the invalid-fraction check,
 *       still before anything is written (rule 7);
 *   <li>the latest rows merged per key on the driver and written newer-wins from there ({@link
 *       OnlineWriter#writeFromDriver}); a large batch instead runs a second job that dedups and
 *       writes in tasks ({@link LatestInTask});
 *   <li>optionally, the offline log ({@link OfflineStore#appendLogged}), from the cache.
 * </ol>
 */
final class StreamBatch implements VoidFunction2<Dataset<Row>, Long> {
  private static final Logger LOG = LoggerFactory.getLogger(StreamBatch.class);

  private final FeatureTable table;
  private final StreamSource source;
  private final MessageDecoding decoding;
  private final OfflineStore offline;
  private final StreamSettings settings;
  private final String streamId;
  private final Consumer<BatchFigures> figures;
  private final UntilCaughtUp caughtUp;

  /**
   * The last batch was too large for the driver: expect the same, cache the decoded batch for the
   * second job and let the first job only count (turning every row into a Java object for nothing
   * costs more than the dedup saves). A stream's first batch is expected large: after a start it
   * usually holds the backlog.
   */
  private volatile boolean large = true;

  StreamBatch(
      FeatureTable table,
      StreamSource source,
      MessageDecoding decoding,
      OfflineStore offline,
      StreamSettings settings,
      String streamId,
      Consumer<BatchFigures> figures,
      UntilCaughtUp caughtUp) {
    this.table = table;
    this.source = source;
    this.decoding = decoding;
    this.offline = offline;
    this.settings = settings;
    this.streamId = streamId;
    this.figures = figures;
    this.caughtUp = caughtUp;
  }

  /** Up to this many latest rows per batch come to the driver, which writes them itself. */
  static final long ROWS_TO_DRIVER = 50_000;

  @Override
  public void call(Dataset<Row> batch, Long batchId) {
    long started = System.nanoTime();
    Instant at = Instant.now();
    var sc = batch.sparkSession().sparkContext();
    // The batch runs in the query's own session (Spark clones one per query), so this stays
    // inside the stream: the decoded cache lives for one batch, and building compressed columns
    // (dictionary statistics per column) cost a third of a large batch's CPU to save memory held
    // for seconds.
    batch.sparkSession().conf().set("spark.sql.inMemoryColumnarStorage.compressed", "false");
    // Decode once when the batch will be read again: by the second job of a large batch, by the
    // offline log, or at all for a source that cannot replay a batch (Kinesis' tasks read until
    // caught up). A small Kafka batch is read once; in the rare batch with invalid messages, the
    // quarantine reads its offsets again (a Kafka batch is a fixed offset range). Caching it would
    // cost a third of its time in planning and building the cache.
    boolean cached = large || source.logToBatchSource() || !(source instanceof KafkaSource);
    Dataset<Row> decoded = decoding.withDecoded(batch);
    if (cached) {
      decoded = decoded.persist(StorageLevel.MEMORY_AND_DISK());
    }
    try {
      MessageTally counted = MessageTally.register(sc);
      Projected p =
          Projection.project(
              counted.messagesOf(decoded),
              table,
              StreamPipeline.withCreatedFromBroker(source.columns()),
              ProjectionOptions.strict()
                  .allowingMissingFeatures(settings.push().allowMissingFeatures()));

      sc.setJobDescription("decode, validate and dedup batch " + batchId + " of " + table.name());
      Picker picker = Picker.of(p.valid().schema(), table.entityNames());
      List<Row> small = firstJob(p.valid(), picker, counted, ROWS_TO_DRIVER, large);
      long tallied = System.nanoTime();
      long rows = counted.messages();
      long valid = counted.valid();
      long invalid = rows - valid;
      long newest = counted.newestValidMillis();
      // Read now: a quarantine of an uncached batch counts its messages again.
      long oldestSource = counted.oldestSourceMillis();

      Validation.check(
          p, new Projected.Counts(rows, invalid), quarantine(decoded, batchId, at, invalid));

      OnlineWriter.Counts written = new OnlineWriter.Counts(0, 0);
      OnlineTable online = OnlineTable.of(table);
      large = small == null && valid > ROWS_TO_DRIVER;
      if (small != null) {
        // Small batch: the tasks' latest rows, merged per key across tasks, written from here.
        Map<List<Object>, Row> latest = new HashMap<>();
        small.forEach(r -> picker.offer(latest, r));
        written =
            OnlineWriter.writeFromDriver(
                latest.values(),
                p.valid().columns(),
                online,
                settings.push().store(),
                settings.push().batchSize());
      } else {
        sc.setJobDescription("dedup and write batch " + batchId + " of " + table.name());
        written =
            OnlineWriter.write(
                LatestInTask.withLatestPerKey(
                    p.valid(), table.entityNames(), valid, sc.defaultParallelism()),
                online,
                settings.push().store(),
                settings.push().batchSize());
      }
      if (source.logToBatchSource() && valid > 0) {
        offline.appendLogged(p.valid(), streamId, batchId);
      }
      sc.setJobDescription(null);
      LOG.debug(
          "stream {} batch {}: {} ms to decode, validate and dedup, {} ms to quarantine and write",
          table.name(),
          batchId,
          (tallied - started) / 1_000_000,
          (System.nanoTime() - tallied) / 1_000_000);
      Instant end = Instant.now();
      BatchFigures f =
          new BatchFigures(
              batchId,
              rows,
              invalid,
              written.written(),
              written.notNewer(),
              newest == Long.MIN_VALUE
                  ? Optional.empty()
                  : Optional.of(Duration.between(Instant.ofEpochMilli(newest), end).toMillis()),
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
        caughtUp.afterBatch(batchId, rows, oldestSource);
      }
    } finally {
      if (cached) {
        decoded.unpersist();
      }
    }
  }

  /**
   * The one job every batch runs: decodes (into the cache if any), validates, counts and keeps each
   * task's latest row per key. The rows come back to the driver (in Spark's binary row format) when
   * they are at most the task's share of {@code toDriver}; otherwise, and always in {@code
   * countOnly} mode, the task only counts and the answer is null.
   */
  private static List<Row> firstJob(
      Dataset<Row> valid, Picker picker, MessageTally tally, long toDriver, boolean countOnly) {
    long perTask =
        countOnly ? -1 : Math.max(1, toDriver / Math.max(1, valid.rdd().getNumPartitions()));
    var tooMany = valid.sparkSession().sparkContext().longAccumulator("stream tasks over share");
    List<Row> rows =
        valid
            .mapPartitions(
                (MapPartitionsFunction<Row, Row>)
                    it -> {
                      Map<List<Object>, Row> latest = new HashMap<>();
                      boolean over = perTask < 0;
                      long n = 0;
                      long newest = Long.MIN_VALUE;
                      while (it.hasNext()) {
                        Row r = it.next();
                        n++;
                        newest = Math.max(newest, ((Timestamp) r.get(picker.event())).getTime());
                        if (!over) {
                          picker.offer(latest, r);
                          if (latest.size() > perTask) {
                            // Too many for the driver: only count; a second job dedups and writes.
                            over = true;
                            latest.clear();
                          }
                        }
                      }
                      tally.addValid(n, newest);
                      if (over) {
                        tooMany.add(1);
                      }
                      return latest.values().iterator();
                    },
                Encoders.row(valid.schema()))
            .collectAsList();
    return tooMany.value() > 0 ? null : rows;
  }

  /**
   * The batch's invalid and undecodable messages, in one run folder per batch like a batch job's
   * run: the quarantine root reads as one table partitioned by run, and a retried batch replaces
   * its own folder.
   */
  private Validation.Rules quarantine(Dataset<Row> decoded, long batchId, Instant at, long count) {
    String runId = "stream-" + streamId + "-batch-" + batchId;
    return new Validation.Rules(
        table.name(),
        settings.push().maxInvalidFraction(),
        () ->
            Quarantine.location(
                settings.push().quarantineBase(), table.name(), table.batchSource(), runId),
        (invalid, path) -> {
          Dataset<Row> undecodable =
              decoded
                  .where(col(RawMessages.DECODE_ERROR).isNotNull())
                  .select(
                      col(RawMessages.RAW),
                      col(RawMessages.POSITION),
                      col(RawMessages.SOURCE_TS),
                      col(RawMessages.DECODE_ERROR).as(Projection.REASON));
          Quarantine.withStoredShape(OnlineBatch.withReadableNames(invalid), runId, at)
              .unionByName(
                  Quarantine.withStoredShape(OnlineBatch.withReadableNames(undecodable), runId, at),
                  true)
              .write()
              .mode("overwrite")
              .parquet(path);
          return count;
        },
        "quarantine of " + table.name(),
        "stream " + table.name() + " batch " + batchId);
  }
}
