package io.featureingest.rows;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.util.LongAccumulator;

/**
 * The outcome of {@link Projection#project}: {@code valid} rows as a {@link TableFrame} and {@code
 * invalid} rows with their original input columns and types plus {@link Projection#REASON}. Both
 * are filters of {@code flagged} (every input row with its projected columns, a boolean {@link
 * Projection#FLAG_INVALID} and a reason that is null for valid rows), so nothing is computed until
 * a caller acts, and {@link #counts()} counts both in one pass that reads only the columns that can
 * fail. {@code validColumns} are the columns {@code valid} selects from {@code flagged}.
 */
public record Projected(
    Dataset<Row> valid,
    Dataset<Row> invalid,
    Dataset<Row> flagged,
    List<Column> validColumns,
    List<String> droppedColumns,
    List<String> missingFeatures) {

  /** Rows in, and how many of them are invalid. */
  public record Counts(long total, long invalid) {
    public long valid() {
      return total - invalid;
    }
  }

  /** Counts, and the values of the extra aggregates asked for in the same job. */
  public record Tally(Counts counts, Row extra) {}

  /** One Spark job: total and invalid row counts. */
  public Counts counts() {
    return tally().counts();
  }

  /**
   * One Spark job: the counts and {@code extra} aggregates over {@code flagged} (valid rows are
   * those where {@link Projection#FLAG_INVALID} is false), so that a pipeline's own figures cost no
   * pass of their own. {@code extra().get(i)} is the value of {@code extra[i]}.
   */
  public Tally tally(Column... extra) {
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(count(lit(1)).as("total"));
    aggregates.add(
        count(org.apache.spark.sql.functions.when(col(Projection.FLAG_INVALID), 1)).as("invalid"));
    aggregates.addAll(Arrays.asList(extra));
    Row r =
        flagged
            .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new))
            .first();
    Object[] rest = new Object[extra.length];
    for (int i = 0; i < rest.length; i++) {
      rest[i] = r.get(i + 2);
    }
    return new Tally(new Counts(r.getLong(0), r.getLong(1)), RowFactory.create(rest));
  }

  /**
   * {@link #valid()}, counting every row it filters into {@code read} and the invalid ones into
   * {@code invalid} as the rows go by, so that the job that writes the valid rows also counts them
   * (no separate counting pass). The counter is non-deterministic for the optimizer, so it is
   * neither dropped nor duplicated. The counts are exact when the filter runs in the job's result
   * stage (Spark applies a result task's accumulator updates once per partition, whatever the
   * retries); a write that shuffles after it must check them (the staged write's own row count).
   */
  public Dataset<Row> validCounted(LongAccumulator read, LongAccumulator invalid) {
    UserDefinedFunction keep =
        org.apache
            .spark
            .sql
            .functions
            .udf(
                (UDF1<Boolean, Boolean>)
                    bad -> {
                      read.add(1);
                      if (bad) {
                        invalid.add(1);
                        return false;
                      }
                      return true;
                    },
                DataTypes.BooleanType)
            .asNondeterministic();
    return flagged
        .where(keep.apply(col(Projection.FLAG_INVALID)))
        .select(validColumns.toArray(Column[]::new));
  }
}
