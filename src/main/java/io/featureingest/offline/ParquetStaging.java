package io.featureingest.offline;

import io.featureingest.spec.FileSource;
import io.featureingest.spec.StoreErrors;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Parquet append staged under {@code <table>/_staging/run=<run_id>}: Spark's commit protocol
 * writes the files there (a failed job leaves none), and {@link #commit} renames each one to the
 * same relative path (partition folders included) under the table. The folder starts with {@code
 * _}, so readers of the table never see staged files. Renames stay within one file system; the
 * commit is as atomic as the job commit of Spark's FileOutputCommitter (v1), which also moves files
 * one by one, and a commit that fails part way removes the files it had already moved.
 */
final class ParquetStaging implements StagedWrite {
  private static final Logger LOG = LoggerFactory.getLogger(ParquetStaging.class);

  private final SparkSession spark;
  private final Path table;
  private final Path staging;
  private boolean committed;

  private ParquetStaging(SparkSession spark, Path table, Path staging) {
    this.spark = spark;
    this.table = table;
    this.staging = staging;
  }

  /** Writes {@code stored} (the stored layout) to this run's staging folder of the table. */
  static StagedWrite write(SparkSession spark, Dataset<Row> stored, FileSource f, String runId) {
    Path root;
    try {
      // Qualified, so that listed staged files and the table share one prefix.
      root = new Path(f.path());
      root = root.getFileSystem(spark.sparkContext().hadoopConfiguration()).makeQualified(root);
    } catch (IOException e) {
      throw StoreErrors.batchSourceFailed(f.path(), "open it", e);
    }
    Path staging = new Path(new Path(root, "_staging"), "run=" + runId);
    ParquetStaging staged = new ParquetStaging(spark, root, staging);
    try {
      var writer = stored.write().format("parquet").mode("errorifexists");
      if (f.columns().datePartitionColumn().isPresent()) {
        writer = writer.partitionBy(f.columns().datePartitionColumn().get());
      }
      writer.save(staging.toString());
    } catch (RuntimeException e) {
      staged.abort();
      throw e;
    }
    return staged;
  }

  @Override
  public OptionalLong rows() {
    // From the footers, on the driver: no Spark job, no column read.
    long sum = 0;
    try {
      for (Path p : dataFiles()) {
        try (ParquetFileReader r =
            ParquetFileReader.open(
                HadoopInputFile.fromPath(p, spark.sparkContext().hadoopConfiguration()))) {
          sum += r.getRecordCount();
        }
      }
    } catch (IOException e) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(sum);
  }

  /** The staged data files, without _SUCCESS and checksums. */
  private List<Path> dataFiles() throws IOException {
    List<Path> out = new ArrayList<>();
    RemoteIterator<LocatedFileStatus> files = fs().listFiles(staging, true);
    while (files.hasNext()) {
      Path p = files.next().getPath();
      if (!p.getName().startsWith("_") && !p.getName().startsWith(".")) {
        out.add(p);
      }
    }
    return out;
  }

  @Override
  public void commit() {
    List<Path> moved = new ArrayList<>();
    try {
      FileSystem fs = fs();
      String prefix = staging.toUri().getPath() + "/";
      for (Path from : dataFiles()) {
        String relative = from.toUri().getPath().substring(prefix.length());
        Path to = new Path(table, relative);
        fs.mkdirs(to.getParent());
        if (!fs.rename(from, to)) {
          throw new IOException("cannot rename " + from + " to " + to);
        }
        moved.add(to);
      }
    } catch (IOException e) {
      undo(moved);
      abort();
      throw StoreErrors.batchSourceFailed(table.toString(), "move the staged files into place", e);
    }
    committed = true;
    abort(); // the emptied staging folder
  }

  private void undo(List<Path> moved) {
    for (Path p : moved) {
      try {
        fs().delete(p, false);
      } catch (IOException e) {
        LOG.warn("cannot remove {} after a failed commit: {}", p, e.getMessage());
      }
    }
  }

  @Override
  public void abort() {
    try {
      FileSystem fs = fs();
      if (!committed || dataFiles().isEmpty()) {
        fs.delete(staging, true);
      }
      Path parent = staging.getParent();
      if (fs.exists(parent) && fs.listStatus(parent).length == 0) {
        fs.delete(parent, false);
      }
    } catch (IOException e) {
      LOG.warn("cannot remove the staging folder {}: {}", staging, e.getMessage());
    }
  }

  private FileSystem fs() throws IOException {
    return staging.getFileSystem(spark.sparkContext().hadoopConfiguration());
  }
}
