package io.featureingest.offline;

import io.delta.tables.DeltaTable;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.FileFormat;
import java.util.OptionalLong;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A Delta table under a path. Appends are staged in an open transaction and committed as one
 * version ({@link DeltaStaging}); {@code --dedup} is a MERGE ({@link DeltaMerge}); the stream log
 * is an idempotent append ({@code txnAppId} = the stream id, {@code txnVersion} = the batch id),
 * which Delta skips for a version it has committed already. A table this creates gets {@code
 * delta.dataSkippingStatsColumns} = the entity and event timestamp columns ({@link
 * DeltaStaging#statsColumns}).
 */
public final class DeltaStore extends FileStore {
  /** Delta's write option that adds the frame's new columns to the table schema. */
  static final String MERGE_SCHEMA = "mergeSchema";

  public DeltaStore(FeatureTable table) {
    super(table, FileFormat.DELTA);
  }

  @Override
  public boolean exists(SparkSession spark) {
    return DeltaTable.isDeltaTable(spark, source.path());
  }

  @Override
  public void create(SparkSession spark) {
    var builder =
        DeltaTable.createIfNotExists(spark)
            .location(source.path())
            .addColumns(StoredLayout.schema(table))
            .property(DeltaStaging.STATS_COLUMNS, DeltaStaging.statsColumns(table));
    if (source.columns().datePartitionColumn().isPresent()) {
      builder = builder.partitionedBy(source.columns().datePartitionColumn().get());
    }
    builder.execute();
  }

  @Override
  Dataset<Row> load(SparkSession spark) {
    return spark.read().format("delta").load(source.path());
  }

  /** Delta appends and merges: nothing to refuse. */
  @Override
  public void checkSpec(WriteMode mode) {}

  /** A MERGE commits as it writes; only appends are staged. */
  @Override
  public boolean stages(WriteMode mode) {
    return mode == WriteMode.APPEND;
  }

  @Override
  StagedWrite stageStored(SparkSession spark, Dataset<Row> stored, String runId) {
    return DeltaStaging.write(spark, stored, table, source);
  }

  @Override
  OptionalLong writeStored(SparkSession spark, Dataset<Row> stored, WriteMode mode) {
    if (mode == WriteMode.DEDUP) {
      return OptionalLong.of(DeltaMerge.merge(spark, stored, this));
    }
    append(stored);
    return OptionalLong.empty();
  }

  /** Appends rows in the stored layout as one commit. */
  void append(Dataset<Row> stored) {
    SessionSetting.withMicrosTimestamps(
        stored.sparkSession(),
        () -> {
          // a feature added to the spec
          DataFrameWriter<Row> writer =
              stored.write().format("delta").mode("append").option(MERGE_SCHEMA, "true");
          if (!exists(stored.sparkSession())) {
            // Read on creation only: statistics on the columns readers filter by (DeltaStaging).
            writer = writer.option(DeltaStaging.STATS_COLUMNS, DeltaStaging.statsColumns(table));
          }
          if (source.columns().datePartitionColumn().isPresent()) {
            writer = writer.partitionBy(source.columns().datePartitionColumn().get());
          }
          writer.save(source.path());
          return null;
        });
  }

  @Override
  void appendLogged(
      Dataset<Row> stored, DataFrameWriter<Row> writer, String streamId, long batchId) {
    writer
        .format("delta")
        .option("txnAppId", streamId)
        .option("txnVersion", batchId)
        .save(source.path());
  }
}
