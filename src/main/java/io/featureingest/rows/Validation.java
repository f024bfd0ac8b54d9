package io.featureingest.rows;

import io.featureingest.spec.DataContractException;
import io.featureingest.spec.DataErrors;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validate then quarantine (DESIGN rule 7), the one step of ingest, materialize, push and stream
 * between the projection and the first write: when some rows are invalid, they go to the quarantine
 * with their reason, and the run fails (exit 3) when they are more than the allowed fraction; the
 * quarantine stays, to show why.
 *
 * <p>The counts come in: each pipeline counts in the job it runs anyway, and that is what keeps
 * them one pass. Ingest counts while it stages the write ({@link Projected#validCounted}), stream
 * in its decode filter and dedup tasks, materialize and push in one aggregate ({@link
 * Projected#tally}); the step itself runs a Spark job only to write invalid rows.
 *
 * <pre>{@code
 * Projected p = Projection.project(input, table, columns, options);
 * Validation.Outcome v = Validation.check(p, p.counts(), new Validation.Rules(table.name(),
 *     0.01, () -> Quarantine.location(base, table.name(), table.batchSource(), runId),
 *     (invalid, path) -> Quarantine.write(invalid, path, runId, now),
 *     "quarantine invalid rows of " + table.name(), "materialize " + table.name()));
 * write(v.valid());
 * }</pre>
 */
public final class Validation {
  private static final Logger LOG = LoggerFactory.getLogger(Validation.class);

  private Validation() {}

  /** Writes a run's invalid rows to its quarantine location; answers how many it stored. */
  @FunctionalInterface
  public interface Sink {
    long write(Dataset<Row> invalid, String location);
  }

  /**
   * How a pipeline quarantines.
   *
   * @param table the table, as the threshold's message names it
   * @param maxInvalidFraction the invalid fraction that still passes
   * @param location where the invalid rows go; asked only when there are some (it fails for a
   *     non-file batch source without {@code validation.quarantine_path})
   * @param sink how they are stored there (appended, or the folder replaced for a retried batch)
   * @param jobDescription the quarantine job in the Spark UI
   * @param logPrefix the log line's subject: {@code "ingest driver_trips"}
   */
  public record Rules(
      String table,
      double maxInvalidFraction,
      Supplier<String> location,
      Sink sink,
      String jobDescription,
      String logPrefix) {}

  /**
   * What passed: the valid rows (lazy), the counts, the rows the sink stored and where (empty when
   * every row was valid).
   */
  public record Outcome(
      Dataset<Row> valid, Projected.Counts counts, long quarantined, Optional<String> location) {}

  /**
   * Quarantines {@code p}'s invalid rows when {@code counts} says there are some, then applies the
   * threshold: {@link DataContractException} (exit 3) over it.
   */
  public static Outcome check(Projected p, Projected.Counts counts, Rules rules) {
    if (counts.invalid() == 0) {
      return new Outcome(p.valid(), counts, 0, Optional.empty());
    }
    String location = rules.location().get();
    var sc = p.flagged().sparkSession().sparkContext();
    sc.setJobDescription(rules.jobDescription());
    long started = System.nanoTime();
    long stored = rules.sink().write(p.invalid(), location);
    LOG.info(
        "{}: quarantine: {} rows to {}, {} ms",
        rules.logPrefix(),
        stored,
        location,
        (System.nanoTime() - started) / 1_000_000);
    checkThreshold(
        rules.table(), counts.total(), counts.invalid(), rules.maxInvalidFraction(), location);
    return new Outcome(p.valid(), counts, stored, Optional.of(location));
  }

  /**
   * Fails the run (exit 3) when more than {@code maxFraction} of {@code total} rows are invalid.
   */
  static void checkThreshold(
      String table, long total, long invalid, double maxFraction, String quarantinePath) {
    if (total == 0 || invalid == 0) {
      return;
    }
    double fraction = (double) invalid / total;
    if (fraction > maxFraction) {
      throw DataErrors.tooManyInvalidRows(table, invalid, total, maxFraction, quarantinePath);
    }
  }
}
