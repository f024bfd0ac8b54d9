package io.featureingest.offline;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * One feature table's offline store, its batch source: {@code materialize} and {@code retrieve}
 * read it, {@code ingest} and a stream's offline log write it. An instance serves the table it was
 * opened for; {@code job.OfflineStores} is the one place that picks the implementation (Parquet,
 * Delta, BigQuery) for a table's batch source.
 *
 * <pre>{@code
 * OfflineStore store = OfflineStores.of(table);
 * Dataset<Row> window = store.read(spark, start, end); // event times in [start, end)
 * StagedWrite w = store.stage(frame, WriteMode.APPEND, runId);
 * w.commit(); // or w.abort(): nothing becomes visible
 * }</pre>
 *
 * Rows given to the writing methods are the table's valid rows in the {@code rows.TableFrame} shape
 * (entity and feature columns under the spec's names, its event and created timestamps); each store
 * lays them out as it stores them. Rows read come back as stored, to be projected with {@code
 * rows.Projection}. A spec the store cannot serve is a {@code ConfigException} (exit 2), an
 * existing table that conflicts with the spec a {@code DataContractException} (exit 3), a store out
 * of reach a {@code StoreUnavailableException} (exit 4).
 */
public interface OfflineStore {
  /** How ingest writes its rows. */
  enum WriteMode {
    /** Every valid row is added. */
    APPEND,
    /**
     * One row per (entity key, event timestamp) remains, the one with the greatest created
     * timestamp; ingesting the same rows again changes nothing ({@code --dedup}).
     */
    DEDUP
  }

  /** Where the rows live, for summaries and logs: a path, {@code bigquery:project.dataset.t}. */
  String location();

  /** Whether the table exists yet: data files, a table log, a table in the warehouse. */
  boolean exists(SparkSession spark);

  /**
   * Creates the table, empty, in the stored layout of the spec, unless it exists. Ingest needs no
   * call (the first commit creates the table); stores whose writes need a table first call it
   * themselves.
   */
  void create(SparkSession spark);

  /** The whole table as stored; a table that does not exist is an error that says so. */
  Dataset<Row> read(SparkSession spark);

  /**
   * Rows whose event time is in {@code [start, end)}, skipping what the store can skip unread (date
   * partitions, a filter pushed to the warehouse). Rows whose event timestamp is null or does not
   * parse are in no window.
   */
  Dataset<Row> read(SparkSession spark, Instant start, Instant end);

  /**
   * Phase one, the spec alone, before any Spark work: refuses a write this store cannot do (a
   * {@code --dedup} it cannot merge, a source that cannot be written).
   */
  void checkSpec(WriteMode mode);

  /**
   * Phase two, given the existing table's schema: refuses (exit 3) columns that conflict with the
   * spec, naming the column and both types. Pure: no Spark job, no call to the store.
   */
  void checkSchema(StructType found);

  /** Phase two against the store: {@link #checkSchema} of the existing table, if there is one. */
  default void checkTarget(SparkSession spark) {
    if (exists(spark)) {
      checkSchema(read(spark).schema());
    }
  }

  /**
   * Whether {@link #stage} can hold rows of this mode back until the caller commits. When it
   * cannot, ingest counts in a pass of its own and calls {@link #write} after the threshold check.
   */
  boolean stages(WriteMode mode);

  /**
   * Writes {@code rows} where readers do not see them yet; the caller commits or aborts once the
   * same pass has counted them. {@code runId} names the staged write.
   */
  StagedWrite stage(Dataset<Row> rows, WriteMode mode, String runId);

  /**
   * Writes {@code rows}, visible at once. Returns the rows written when the store counts them
   * itself (a MERGE: inserted plus updated), else empty, meaning all of {@code rows}.
   */
  OptionalLong write(Dataset<Row> rows, WriteMode mode);

  /**
   * Appends one micro-batch of a stream's valid rows as the table's historical log, exactly once:
   * the same {@code (streamId, batchId)} appended again, by a retried or restarted batch, is stored
   * once.
   */
  void appendLogged(Dataset<Row> rows, String streamId, long batchId);

  /**
   * Where the table's commit history stands, for reads of exactly what was committed since (an
   * Iceberg snapshot id); empty for a store that keeps no history readers can use, and then {@code
   * materialize-incremental} takes late rows by their created timestamp instead.
   */
  default Optional<String> commitMark(SparkSession spark) {
    return Optional.empty();
  }

  /**
   * The rows that commits after mark {@code since}, up to and including mark {@code until}, added
   * to the table, as stored, with event times in {@code [start, end)}. Only for stores that answer
   * {@link #commitMark}.
   */
  default Dataset<Row> readCommitted(
      SparkSession spark, String since, String until, Instant start, Instant end) {
    throw new UnsupportedOperationException(location() + " keeps no commit history to read");
  }
}
