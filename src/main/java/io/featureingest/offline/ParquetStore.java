package io.featureingest.offline;

import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.FileFormat;
import io.featureingest.spec.SourceErrors;
import io.featureingest.spec.StoreErrors;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A table of Parquet files, partitioned by {@code date_partition_column} folders when set. Appends
 * are staged under {@code _staging} and renamed into place ({@link ParquetStaging}); the stream log
 * is made exactly-once by markers ({@link ParquetStreamLog}). Parquet has no MERGE: {@code --dedup}
 * is refused.
 */
public final class ParquetStore extends FileStore {
  /** Spark reads this partition folder as null: no window holds it, no row comes from it. */
  private static final String NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__";

  public ParquetStore(FeatureTable table) {
    super(table, FileFormat.PARQUET);
  }

  /** The table holds data: some file or folder whose name does not start with _ or a dot. */
  @Override
  public boolean exists(SparkSession spark) {
    try {
      Path path = new Path(source.path());
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(path)) {
        return false;
      }
      // A folder holding only _quarantine (a first run that failed) is no table yet.
      for (FileStatus s : fs.listStatus(path)) {
        String n = s.getPath().getName();
        if (!n.startsWith("_") && !n.startsWith(".")) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw StoreErrors.batchSourceFailed(source.path(), "list it", e);
    }
  }

  /**
   * One empty file with the stored columns. A partitioned table has no folder for no date, so the
   * file goes to the partition Spark reads as null.
   */
  @Override
  public void create(SparkSession spark) {
    if (exists(spark)) {
      return;
    }
    Dataset<Row> empty = spark.createDataFrame(List.of(), StoredLayout.schema(table)).coalesce(1);
    Optional<String> partition = source.columns().datePartitionColumn();
    String path =
        partition.map(p -> source.path() + "/" + p + "=" + NULL_PARTITION).orElse(source.path());
    SessionSetting.withMicrosTimestamps(
        spark,
        () -> {
          (partition.isPresent() ? empty.drop(partition.get()) : empty)
              .write()
              .mode("append")
              .parquet(path);
          return null;
        });
  }

  @Override
  Dataset<Row> load(SparkSession spark) {
    // Files written before a feature was added to the spec lack its column: the schema is the
    // union of the files' footers (read in a Spark job), and those rows read it as null.
    return spark.read().format("parquet").option("mergeSchema", "true").load(source.path());
  }

  @Override
  public void checkSpec(WriteMode mode) {
    if (mode == WriteMode.DEDUP) {
      throw SourceErrors.dedupNeedsDelta(table.name(), source.format().sparkName());
    }
  }

  @Override
  public boolean stages(WriteMode mode) {
    return mode == WriteMode.APPEND;
  }

  @Override
  StagedWrite stageStored(SparkSession spark, Dataset<Row> stored, String runId) {
    return ParquetStaging.write(spark, stored, source, runId);
  }

  /** An append through Spark's file commit protocol: a failed job leaves no visible file. */
  @Override
  OptionalLong writeStored(SparkSession spark, Dataset<Row> stored, WriteMode mode) {
    SessionSetting.withMicrosTimestamps(
        spark,
        () -> {
          DataFrameWriter<Row> writer = stored.write().format("parquet").mode("append");
          if (source.columns().datePartitionColumn().isPresent()) {
            writer = writer.partitionBy(source.columns().datePartitionColumn().get());
          }
          writer.save(source.path());
          return null;
        });
    return OptionalLong.empty();
  }

  @Override
  void appendLogged(
      Dataset<Row> stored, DataFrameWriter<Row> writer, String streamId, long batchId) {
    ParquetStreamLog.append(stored, writer, source.path(), streamId, batchId);
  }
}
