package io.featureingest.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The outcome of {@link Projection#project}: {@code valid} rows as a {@link TableFrame} and {@code
 * invalid} rows with their original input columns and types plus {@link Projection#REASON}. Both
 * are filters of {@code flagged} (every input row with its projected columns, a boolean {@link
 * Projection#FLAG_INVALID} and a reason that is null for valid rows), so nothing is computed until
 * a caller acts, and {@link #counts()} counts both in one pass that reads only the columns that can
 * fail.
 */
public record Projected(
    Dataset<Row> valid,
    Dataset<Row> invalid,
    Dataset<Row> flagged,
    List<String> droppedColumns,
    List<String> missingFeatures) {

  /** Rows in, and how many of them are invalid. */
  public record Counts(long total, long invalid) {
    public long valid() {
      return total - invalid;
    }
  }

  /** One Spark job: total and invalid row counts. */
  public Counts counts() {
    Row r =
        flagged
            .agg(
                count(lit(1)).as("total"),
                count(org.apache.spark.sql.functions.when(col(Projection.FLAG_INVALID), 1))
                    .as("invalid"))
            .first();
    return new Counts(r.getLong(0), r.getLong(1));
  }
}
