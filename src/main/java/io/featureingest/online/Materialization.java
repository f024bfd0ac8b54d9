package io.featureingest.online;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.featureingest.rows.NewestByHash;
import io.featureingest.rows.Projected;
import io.featureingest.rows.Projection;
import io.featureingest.rows.ProjectionOptions;
import io.featureingest.rows.Quarantine;
import io.featureingest.rows.TableFrame;
import io.featureingest.rows.Validation;
import io.featureingest.spec.FeatureTable;
import java.time.Instant;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offline rows to the online store for one table: project and validate (quarantine as in ingest,
 * {@link Validation}), skip rows older than {@code end - max_age}, keep the latest row per entity
 * key (one shuffle, then {@link NewestByHash} in the writing tasks), and write from the executors
 * with compare-and-set.
 *
 * <p>The caller reads the source (only {@code job} picks sources and stores) and passes the rows of
 * the window; for incremental runs also the rows that may have arrived late.
 */
public final class Materialization {
  private static final Logger LOG = LoggerFactory.getLogger(Materialization.class);

  private Materialization() {}

  public record Options(
      Instant end,
      boolean allowMissingFeatures,
      double maxInvalidFraction,
      Optional<String> quarantineBase,
      String runId,
      Instant runStarted,
      int batchSize) {}

  /** Rows of the lookback range to take only when created after {@code createdAfter}. */
  public record LateRows(Dataset<Row> rows, Instant createdAfter) {}

  public record Result(
      long rowsRead,
      long rowsValid,
      long rowsQuarantined,
      long rowsSkippedStale,
      long rowsLate,
      long rowsWritten,
      long rowsNotNewer,
      Optional<String> quarantinePath) {}

  public static Result run(
      FeatureTable table,
      Dataset<Row> window,
      Optional<LateRows> late,
      Options options,
      OnlineStore.Opener opener) {
    var sc = window.sparkSession().sparkContext();
    ProjectionOptions projection =
        ProjectionOptions.strict().allowingMissingFeatures(options.allowMissingFeatures());
    Projected p = Projection.project(window, table, table.batchSource().columns(), projection);
    Column stale =
        table
            .maxAge()
            .map(age -> col(TableFrame.EVENT_TS).lt(lit(options.end().minus(age))))
            .orElse(lit(false));

    sc.setJobDescription("count and validate " + table.name());
    long stage = System.nanoTime();
    Projected.Tally tally =
        p.tally(sum(when(not(col(Projection.FLAG_INVALID)).and(stale), 1).otherwise(0)));
    long read = tally.counts().total();
    long invalid = tally.counts().invalid();
    long skipped = tally.extra().isNullAt(0) ? 0 : tally.extra().getLong(0);
    LOG.info(
        "materialize {}: validate: {} rows read, {} invalid, {} older than max_age, {} ms",
        table.name(),
        read,
        invalid,
        skipped,
        millisSince(stage));

    Validation.Outcome checked =
        Validation.check(
            p,
            tally.counts(),
            new Validation.Rules(
                table.name(),
                options.maxInvalidFraction(),
                () ->
                    Quarantine.location(
                        options.quarantineBase(),
                        table.name(),
                        table.batchSource(),
                        options.runId()),
                (rows, path) -> Quarantine.write(rows, path, options.runId(), options.runStarted()),
                "quarantine invalid rows of " + table.name(),
                "materialize " + table.name()));

    Dataset<Row> valid = checked.valid();
    long lateCount = 0;
    if (late.isPresent()) {
      Dataset<Row> lateValid =
          Projection.project(late.get().rows(), table, table.batchSource().columns(), projection)
              .valid()
              .where(col(TableFrame.CREATED_TS).gt(lit(late.get().createdAfter())));
      sc.setJobDescription("count late rows of " + table.name());
      lateCount = lateValid.count();
      valid = valid.unionByName(lateValid);
    }
    stage = System.nanoTime();
    OnlineWriter.Counts written =
        OnlineWriter.writeLatest(
            valid.where(stale.unary_$bang()),
            OnlineTable.of(table),
            opener,
            options.batchSize(),
            read + lateCount);
    LOG.info(
        "materialize {}: dedup and write: {} keys written, {} not newer than stored, {} ms",
        table.name(),
        written.written(),
        written.notNewer(),
        millisSince(stage));
    sc.setJobDescription(null);
    return new Result(
        read,
        read - invalid,
        invalid,
        skipped,
        lateCount,
        written.written(),
        written.notNewer(),
        checked.location());
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }
}
