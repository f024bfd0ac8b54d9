package io.featureingest.stream;

import io.featureingest.spec.KinesisSource;
import io.featureingest.spec.StreamSource;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --available-now} for the qubole Kinesis connector, which cannot run under Spark's {@code
 * Trigger.AvailableNow}: Spark's wrapper for a source without AvailableNow support asks the source
 * for its latest offset once at start and again while planning each batch, but the qubole source's
 * "offset" is not a stream position. Each {@code getOffset} call starts the next batch id from the
 * shard positions the executors wrote ({@code <checkpoint>/sources/0/shard-commit/<batch>}) when
 * they finished reading the previous batch; a batch's end positions exist only after it has been
 * read (each shard task reads until it is caught up, {@code executor.maxFetchTimeInMs} or {@code
 * executor.maxFetchRecordsPerShard}). So the second call looks for {@code shard-commit/0} before
 * batch 0 ran, and the query fails after three retries.
 *
 * <p>Instead the query runs with a processing-time trigger of 0 (batches back to back) and stops
 * itself after the first batch that shows it has caught up with what the stream held at start: a
 * batch that read no message (every shard task got {@code millisBehindLatest = 0} before reading
 * anything), or a batch whose every message arrived after the run started (each shard had already
 * been read past the start). The stop waits until that batch is committed (its progress event), so
 * the next run resumes after it.
 */
final class UntilCaughtUp {
  private static final Logger LOG = LoggerFactory.getLogger(UntilCaughtUp.class);

  private final long startedMillis = Instant.now().toEpochMilli();
  private final AtomicLong lastBatch = new AtomicLong(-1);
  private final AtomicBoolean stopping = new AtomicBoolean();

  /** True when the trigger is AvailableNow and the source is the qubole Kinesis connector. */
  static boolean needed(StreamSource source, Trigger trigger) {
    return trigger.equals(Trigger.AvailableNow())
        && source instanceof KinesisSource k
        && k.connector().equals("kinesis");
  }

  /** The trigger the query runs with instead of AvailableNow. */
  static Trigger trigger() {
    return Trigger.ProcessingTime(0L);
  }

  /** Called by the batch on the driver with what it read. */
  void afterBatch(long batchId, long messages, long oldestArrivalMillis) {
    if (messages == 0 || oldestArrivalMillis >= startedMillis) {
      lastBatch.compareAndSet(-1, batchId);
    }
  }

  /** Stops {@code query} once the caught-up batch has been committed. */
  void watch(SparkSession spark, StreamingQuery query) {
    UUID id = query.id();
    spark
        .streams()
        .addListener(
            new StreamingQueryListener() {
              @Override
              public void onQueryStarted(QueryStartedEvent event) {}

              @Override
              public void onQueryProgress(QueryProgressEvent event) {
                long last = lastBatch.get();
                if (event.progress().id().equals(id)
                    && last >= 0
                    && event.progress().batchId() >= last
                    && stopping.compareAndSet(false, true)) {
                  LOG.info(
                      "stream {}: caught up with what the stream held at start (batch {}),"
                          + " stopping (--available-now)",
                      query.name(),
                      last);
                  // Not on the listener bus thread: stop() waits for the query's thread.
                  Thread stopper =
                      new Thread(
                          () -> {
                            try {
                              query.stop();
                            } catch (java.util.concurrent.TimeoutException e) {
                              LOG.warn("stream {} did not stop in time", query.name());
                            }
                          },
                          "stop " + query.name());
                  stopper.setDaemon(true);
                  stopper.start();
                }
              }

              @Override
              public void onQueryTerminated(QueryTerminatedEvent event) {
                if (event.id().equals(id)) {
                  spark.streams().removeListener(this);
                }
              }
            });
  }
}
