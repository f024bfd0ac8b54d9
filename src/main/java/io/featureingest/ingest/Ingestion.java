package io.featureingest.ingest;

import io.featureingest.offline.OfflineStore;
import io.featureingest.offline.OfflineStore.WriteMode;
import io.featureingest.offline.StagedWrite;
import io.featureingest.rows.Projected;
import io.featureingest.rows.Projection;
import io.featureingest.rows.ProjectionOptions;
import io.featureingest.rows.Quarantine;
import io.featureingest.rows.Validation;
import io.featureingest.spec.FeatureTable;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public ingest API, also behind {@code feature-ingest ingest}: rows of any Spark job into a
 * feature table's batch source, creating it when missing.
 *
 * <pre>{@code
 * IngestResult r = Ingestion.ingest(spark, table, df,
 *     IngestOptions.defaults().allowingMissingFeatures(true), OfflineStores.of(table));
 * }</pre>
 *
 * Order: schema contract (and the existing target's schema) checked before any job; then, where the
 * store stages the write (appends to Parquet or Delta), one pass that stages the valid rows while
 * it counts every row and the invalid ones; invalid rows go to the quarantine; the threshold fails
 * the run (exit 3) and the staged write is aborted, so nothing is committed to the table; else the
 * staged write is committed. A write the store cannot stage (a Delta MERGE for {@code dedup}, which
 * commits as it writes; BigQuery) counts in a pass of its own first.
 */
public final class Ingestion {
  private static final Logger LOG = LoggerFactory.getLogger(Ingestion.class);

  private Ingestion() {}

  /** Ingests into {@code store}, the table's batch source as the job opened it. */
  public static IngestResult ingest(
      SparkSession spark,
      FeatureTable table,
      Dataset<Row> input,
      IngestOptions options,
      OfflineStore store) {
    long start = System.nanoTime();
    spark.conf().set("spark.sql.session.timeZone", "UTC"); // rule 1, whatever the caller set
    WriteMode mode = options.dedup() ? WriteMode.DEDUP : WriteMode.APPEND;
    store.checkSpec(mode);
    Projected projected =
        Projection.project(
            input,
            table,
            table.batchSource().columns(),
            new ProjectionOptions(
                options.allowMissingFeatures(), Optional.of(options.ingestedAt())));
    store.checkTarget(spark);
    Outcome done =
        store.stages(mode)
            ? writeWhileCounting(spark, table, projected, options, store, mode)
            : countThenWrite(spark, table, projected, options, store, mode);
    spark.sparkContext().setJobDescription(null);
    return new IngestResult(
        options.runId(),
        table.name(),
        store.location(),
        done.counts().total(),
        done.counts().valid(),
        done.quarantined(),
        done.written(),
        projected.droppedColumns(),
        projected.missingFeatures(),
        done.quarantine(),
        (System.nanoTime() - start) / 1_000_000);
  }

  /** What the write stage did: the counts, the quarantine and the rows written. */
  private record Outcome(
      Projected.Counts counts, long quarantined, Optional<String> quarantine, long written) {}

  /**
   * One pass: the valid rows are staged while every row is counted; the quarantine and the
   * threshold follow, and only then is the staged write committed (or aborted, leaving the table as
   * it was).
   */
  private static Outcome writeWhileCounting(
      SparkSession spark,
      FeatureTable table,
      Projected projected,
      IngestOptions options,
      OfflineStore store,
      WriteMode mode) {
    LongAccumulator read = spark.sparkContext().longAccumulator("ingest rows read");
    LongAccumulator invalid = spark.sparkContext().longAccumulator("ingest rows invalid");
    describe(spark, table, "validate and stage the write to " + store.location());
    long stage = System.nanoTime();
    StagedWrite staged = store.stage(projected.validCounted(read, invalid), mode, options.runId());
    try {
      Projected.Counts counts = new Projected.Counts(read.value(), invalid.value());
      OptionalLong rows = staged.rows();
      if (rows.isEmpty() || rows.getAsLong() != counts.valid()) {
        // The counter saw some rows more than once (a shuffle after it whose map stage ran
        // again, or the optimizer evaluating a small in-memory input on the driver): the summary
        // must be exact, so count once more, before anything is committed.
        LOG.info(
            "ingest {}: {} rows staged but {} counted as valid; counting again",
            table.name(),
            rows.isPresent() ? rows.getAsLong() : "unknown",
            counts.valid());
        counts = projected.counts();
      }
      LOG.info(
          "ingest {}: validate and stage: {} rows read, {} invalid, {} rows staged, {} ms",
          table.name(),
          counts.total(),
          counts.invalid(),
          rows.orElse(counts.valid()),
          millisSince(stage));
      Validation.Outcome q = Validation.check(projected, counts, quarantine(table, options));
      stage = System.nanoTime();
      staged.commit();
      long written = rows.orElse(counts.valid());
      LOG.info(
          "ingest {}: commit: {} rows to {}, {} ms",
          table.name(),
          written,
          store.location(),
          millisSince(stage));
      return new Outcome(counts, q.quarantined(), q.location(), written);
    } catch (RuntimeException e) {
      staged.abort();
      throw e;
    }
  }

  /**
   * Two passes, for a MERGE (which commits as it writes) and for stores that cannot stage: count
   * first, quarantine, check the threshold, then write.
   */
  private static Outcome countThenWrite(
      SparkSession spark,
      FeatureTable table,
      Projected projected,
      IngestOptions options,
      OfflineStore store,
      WriteMode mode) {
    describe(spark, table, "validate");
    long stage = System.nanoTime();
    Projected.Counts counts = projected.counts();
    LOG.info(
        "ingest {}: validate: {} rows read, {} invalid, {} ms",
        table.name(),
        counts.total(),
        counts.invalid(),
        millisSince(stage));
    Validation.Outcome q = Validation.check(projected, counts, quarantine(table, options));

    describe(spark, table, "write " + store.location());
    stage = System.nanoTime();
    long written = store.write(q.valid(), mode).orElse(counts.valid());
    LOG.info(
        "ingest {}: write: {} rows to {}, {} ms",
        table.name(),
        written,
        store.location(),
        millisSince(stage));
    return new Outcome(counts, q.quarantined(), q.location(), written);
  }

  /**
   * Invalid rows are appended to the run's quarantine folder (beside the table, or under {@code
   * validation.quarantine_path}); over the threshold the run fails (exit 3) and the quarantine
   * stays, to show why.
   */
  private static Validation.Rules quarantine(FeatureTable table, IngestOptions options) {
    return new Validation.Rules(
        table.name(),
        options.maxInvalidFraction(),
        () ->
            Quarantine.location(
                options.quarantinePath(), table.name(), table.batchSource(), options.runId()),
        (invalid, path) -> Quarantine.write(invalid, path, options.runId(), options.ingestedAt()),
        "ingest " + table.name() + ": quarantine",
        "ingest " + table.name());
  }

  private static void describe(SparkSession spark, FeatureTable table, String step) {
    spark.sparkContext().setJobDescription("ingest " + table.name() + ": " + step);
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }
}
