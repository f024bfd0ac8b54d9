package io.featureingest.offline;

import io.featureingest.spec.DataErrors;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.FileFormat;
import io.featureingest.spec.FileSource;
import io.featureingest.spec.StoreErrors;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.NullType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the Parquet and Delta stores share: files under a path or any Hadoop URI, read through
 * Spark's file sources (folders starting with {@code _}, such as {@code _quarantine} and {@code
 * _staging}, are not data), the window over them, the check of an existing table's columns, and the
 * stored layout ({@link StoredLayout}) of every write.
 */
abstract class FileStore implements OfflineStore {
  private static final Logger LOG = LoggerFactory.getLogger(FileStore.class);

  final FeatureTable table;
  final FileSource source;

  FileStore(FeatureTable table, FileFormat format) {
    if (!(table.batchSource() instanceof FileSource f) || f.format() != format) {
      throw new IllegalArgumentException(
          "table " + table.name() + ": its batch source is not " + format.sparkName() + " files");
    }
    this.table = table;
    this.source = f;
  }

  @Override
  public String location() {
    return source.path();
  }

  @Override
  public Dataset<Row> read(SparkSession spark) {
    if (!pathExists(spark)) {
      throw StoreErrors.batchSourceMissing(source.path(), source.format().sparkName());
    }
    return load(spark);
  }

  /** The table's files as Spark reads them. */
  abstract Dataset<Row> load(SparkSession spark);

  @Override
  public Dataset<Row> read(SparkSession spark, Instant start, Instant end) {
    EventWindow.check(start, end);
    return EventWindow.of(read(spark), source.columns(), start, end);
  }

  /**
   * An entity, timestamp or partition column missing, or any column of another type, is refused. A
   * feature the table lacks is a feature added to the spec: the write adds its column (nullable;
   * the rows written before read it as null). Extra stored columns are left alone.
   */
  @Override
  public void checkSchema(StructType found) {
    Optional<String> partition = source.columns().datePartitionColumn();
    for (StructField want : StoredLayout.schema(table).fields()) {
      Optional<StructField> have =
          Arrays.stream(found.fields()).filter(x -> x.name().equals(want.name())).findFirst();
      boolean isPartition = partition.isPresent() && partition.get().equals(want.name());
      if (have.isEmpty() && table.featureNames().contains(want.name())) {
        LOG.info(
            "table {}: feature '{}' is new to the batch source at {}: its column is added",
            table.name(),
            want.name(),
            source.path());
        continue;
      }
      if (have.isEmpty()) {
        throw DataErrors.missingStoredColumn(
            table.name(),
            source.path(),
            want.name(),
            want.dataType().simpleString(),
            Arrays.stream(found.fields())
                .map(x -> x.name() + " " + x.dataType().simpleString())
                .toList());
      }
      DataType type = have.get().dataType();
      // Parquet infers yyyy-MM-dd as date, and no type from the null folder of an empty table
      boolean ok =
          type.sameType(want.dataType())
              || (isPartition && (type instanceof DateType || type instanceof NullType));
      if (!ok) {
        throw DataErrors.columnType(
            table.name(),
            want.name(),
            type.simpleString() + " in the existing batch source at " + source.path(),
            want.dataType().simpleString(),
            "it was written under another spec: ingest into a new path, or migrate it");
      }
    }
  }

  @Override
  public StagedWrite stage(Dataset<Row> rows, WriteMode mode, String runId) {
    checkSpec(mode);
    if (!stages(mode)) {
      throw new UnsupportedOperationException(location() + ": cannot stage a " + mode + " write");
    }
    SparkSession spark = rows.sparkSession();
    Dataset<Row> stored = StoredLayout.of(rows, table);
    return SessionSetting.withMicrosTimestamps(spark, () -> stageStored(spark, stored, runId));
  }

  /** Stages rows in the stored layout; timestamps are written as micros already. */
  abstract StagedWrite stageStored(SparkSession spark, Dataset<Row> stored, String runId);

  @Override
  public OptionalLong write(Dataset<Row> rows, WriteMode mode) {
    checkSpec(mode);
    return writeStored(rows.sparkSession(), StoredLayout.of(rows, table), mode);
  }

  /** Writes rows in the stored layout, visible at once. */
  abstract OptionalLong writeStored(SparkSession spark, Dataset<Row> stored, WriteMode mode);

  @Override
  public void appendLogged(Dataset<Row> rows, String streamId, long batchId) {
    Dataset<Row> stored = StoredLayout.of(rows, table);
    rows.sparkSession()
        .sparkContext()
        .setJobDescription("log batch " + batchId + " of " + table.name());
    var writer = stored.write().mode("append");
    if (source.columns().datePartitionColumn().isPresent()) {
      writer = writer.partitionBy(source.columns().datePartitionColumn().get());
    }
    appendLogged(stored, writer, streamId, batchId);
  }

  /** Appends one logged batch exactly once with {@code writer} (append, partitioned). */
  abstract void appendLogged(
      Dataset<Row> stored, DataFrameWriter<Row> writer, String streamId, long batchId);

  /** Whether the table's path exists (it may hold only a quarantine). */
  boolean pathExists(SparkSession spark) {
    try {
      Path path = new Path(source.path());
      return path.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(path);
    } catch (IOException e) {
      throw StoreErrors.batchSourceFailed(source.path(), "reach its file system", e);
    }
  }
}
