package io.featureingest.ingest;

import io.featureingest.spec.FeatureTable;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public ingest API, also behind {@code feature-ingest ingest}: rows of any Spark job into a
 * feature table's batch source, creating it when missing.
 *
 * <pre>{@code
 * IngestResult r = Ingestion.ingest(spark, table, df,
 *     IngestOptions.defaults().allowingMissingFeatures(true));
 * }</pre>
 *
 * Order: schema contract (and the existing target's schema) checked before any job; one pass counts
 * total and invalid rows; invalid rows go to the quarantine; the threshold fails the run (exit 3)
 * before the target is touched; then one write (append, or a Delta MERGE with dedup). The input is
 * read twice (count, write); persist it first if it is expensive to recompute.
 */
public final class Ingestion {
  private static final Logger LOG = LoggerFactory.getLogger(Ingestion.class);

  private Ingestion() {}

  /** Ingests into the table's file batch source (Parquet or Delta). */
  public static IngestResult ingest(
      SparkSession spark, FeatureTable table, Dataset<Row> input, IngestOptions options) {
    return ingest(spark, table, input, options, OfflineTarget.files(table));
  }

  /** Ingests into {@code target}, the table's batch source as the job opened it. */
  public static IngestResult ingest(
      SparkSession spark,
      FeatureTable table,
      Dataset<Row> input,
      IngestOptions options,
      OfflineTarget target) {
    long start = System.nanoTime();
    spark.conf().set("spark.sql.session.timeZone", "UTC"); // rule 1, whatever the caller set
    if (options.dedup()) {
      OfflineWriter.requireDelta(table);
    }
    Projected projected =
        Projection.project(
            input,
            table,
            table.batchSource().columns(),
            new ProjectionOptions(
                options.allowMissingFeatures(), Optional.of(options.ingestedAt())));
    target.check(spark, table);

    spark.sparkContext().setJobDescription("ingest " + table.name() + ": validate");
    long stage = System.nanoTime();
    Projected.Counts counts = projected.counts();
    LOG.info(
        "ingest {}: validate: {} rows read, {} invalid, {} ms",
        table.name(),
        counts.total(),
        counts.invalid(),
        millisSince(stage));

    Optional<String> quarantine = Optional.empty();
    long quarantined = 0;
    if (counts.invalid() > 0) {
      String path =
          Quarantine.location(
              options.quarantinePath(), table.name(), table.batchSource(), options.runId());
      spark.sparkContext().setJobDescription("ingest " + table.name() + ": quarantine");
      stage = System.nanoTime();
      quarantined =
          Quarantine.write(projected.invalid(), path, options.runId(), options.ingestedAt());
      quarantine = Optional.of(path);
      LOG.info(
          "ingest {}: quarantine: {} rows to {}, {} ms",
          table.name(),
          quarantined,
          path,
          millisSince(stage));
      Quarantine.checkThreshold(
          table.name(), counts.total(), counts.invalid(), options.maxInvalidFraction(), path);
    }

    spark
        .sparkContext()
        .setJobDescription("ingest " + table.name() + ": write " + target.location());
    Dataset<Row> stored = OfflineWriter.withStoredLayout(projected.valid(), table);
    stage = System.nanoTime();
    long written = counts.valid();
    if (options.dedup()) {
      written = OfflineWriter.merge(spark, stored, table);
    } else {
      target.append(stored, table);
    }
    spark.sparkContext().setJobDescription(null);
    LOG.info(
        "ingest {}: write: {} rows to {}, {} ms",
        table.name(),
        written,
        target.location(),
        millisSince(stage));
    return new IngestResult(
        options.runId(),
        table.name(),
        target.location(),
        counts.total(),
        counts.valid(),
        quarantined,
        written,
        projected.droppedColumns(),
        projected.missingFeatures(),
        quarantine,
        (System.nanoTime() - start) / 1_000_000);
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }
}
