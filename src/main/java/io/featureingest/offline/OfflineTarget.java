package io.featureingest.offline;

import io.featureingest.spec.FeatureTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Where {@code ingest} writes a table's rows: its batch source. Files (Parquet, Delta) are the
 * default ({@link #files}); the job picks another (BigQuery) for other kinds of batch source.
 */
public interface OfflineTarget {
  /** Where the rows go, for summaries and logs. */
  String location();

  /**
   * Refuses, before anything is written, an existing target whose schema conflicts with the spec.
   */
  void check(SparkSession spark, FeatureTable table);

  /** Appends rows in the stored layout ({@link OfflineWriter#withStoredLayout}). */
  void append(Dataset<Row> stored, FeatureTable table);

  /**
   * Whether {@link #stage} works here; when it does not, ingest counts the input in a pass of its
   * own before it appends.
   */
  default boolean stages() {
    return false;
  }

  /**
   * Writes rows in the stored layout without making them visible: the caller commits or aborts once
   * it knows the counts of the same pass.
   */
  default StagedWrite stage(
      SparkSession spark, Dataset<Row> stored, FeatureTable table, String runId) {
    throw new UnsupportedOperationException(location() + ": cannot stage a write");
  }

  /** The table's file batch source: Parquet or Delta files under a Hadoop URI. */
  static OfflineTarget files(FeatureTable table) {
    String path = OfflineWriter.fileSource(table).path();
    return new OfflineTarget() {
      @Override
      public String location() {
        return path;
      }

      @Override
      public void check(SparkSession spark, FeatureTable t) {
        OfflineWriter.checkTarget(spark, t);
      }

      @Override
      public void append(Dataset<Row> stored, FeatureTable t) {
        OfflineWriter.append(stored, t);
      }

      @Override
      public boolean stages() {
        return true;
      }

      @Override
      public StagedWrite stage(
          SparkSession spark, Dataset<Row> stored, FeatureTable t, String runId) {
        return OfflineWriter.withMicrosTimestamps(
            spark,
            () ->
                OfflineWriter.fileSource(t).format() == io.featureingest.spec.FileFormat.DELTA
                    ? DeltaStaging.write(spark, stored, t)
                    : ParquetStaging.write(spark, stored, t, runId));
      }
    };
  }
}
