package io.featureingest.stream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;

import io.featureingest.rows.Projection;
import io.featureingest.rows.TableFrame;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.FileFormat;
import io.featureingest.spec.FileSource;
import io.featureingest.spec.SourceColumns;
import io.featureingest.spec.StoreUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The stream's valid rows appended to the table's batch source as its historical log (the seed's
 * step 3), exactly once per micro-batch even when Spark retries a batch:
 *
 * <ul>
 *   <li>Delta: an idempotent append, {@code txnAppId} = the stream's id (stable per checkpoint),
 *       {@code txnVersion} = the batch id; Delta skips a version it has already committed.
 *   <li>Parquet: the batch is written to {@code _stream_log/staging/<batch>}, then its files are
 *       renamed into the table with names that carry the stream id and batch id, and a {@code
 *       _stream_log/<batch>.done} marker is written last. A retried batch finds the marker and
 *       skips; a batch that died midway first deletes the files its {@code .pending} list names.
 *       Readers may see a batch's files before its marker (Parquet has no transactions).
 * </ul>
 *
 * Rows are stored as {@code ingest} stores them: entity and feature names, the source's event and
 * created timestamp columns, and the date partition column ({@code yyyy-MM-dd} of the UTC event
 * date) when the source has one.
 */
final class OfflineLog {
  private OfflineLog() {}

  /** A TableFrame in the batch source's stored shape. */
  static Dataset<Row> withStoredShape(Dataset<Row> frame, FeatureTable table) {
    SourceColumns columns = table.batchSource().columns();
    List<Column> out = new ArrayList<>();
    table.entityNames().forEach(n -> out.add(col(Projection.quote(n))));
    table.featureNames().forEach(n -> out.add(col(Projection.quote(n))));
    out.add(col(TableFrame.EVENT_TS).as(columns.eventTimestampColumn()));
    columns.createdTimestampColumn().ifPresent(c -> out.add(col(TableFrame.CREATED_TS).as(c)));
    columns
        .datePartitionColumn()
        .ifPresent(d -> out.add(date_format(col(TableFrame.EVENT_TS), "yyyy-MM-dd").as(d)));
    return frame.select(out.toArray(Column[]::new));
  }

  static void append(Dataset<Row> valid, FeatureTable table, String streamId, long batchId) {
    if (!(table.batchSource() instanceof FileSource source)) {
      throw new io.featureingest.spec.ConfigException(
          "table "
              + table.name()
              + ": log_to_batch_source needs a file batch source (parquet or delta)");
    }
    Dataset<Row> rows = withStoredShape(valid, table);
    valid
        .sparkSession()
        .sparkContext()
        .setJobDescription("log batch " + batchId + " of " + table.name());
    var writer = rows.write().mode("append");
    if (source.columns().datePartitionColumn().isPresent()) {
      writer = writer.partitionBy(source.columns().datePartitionColumn().get());
    }
    if (source.format() == FileFormat.DELTA) {
      writer
          .format("delta")
          .option("txnAppId", streamId)
          .option("txnVersion", batchId)
          .save(source.path());
      return;
    }
    appendParquet(rows, writer, source.path(), streamId, batchId);
  }

  private static void appendParquet(
      Dataset<Row> rows,
      org.apache.spark.sql.DataFrameWriter<Row> writer,
      String path,
      String streamId,
      long batchId) {
    Path table = new Path(path);
    Path log = new Path(table, "_stream_log/" + streamId);
    Path done = new Path(log, batchId + ".done");
    Path pending = new Path(log, batchId + ".pending");
    Path staging = new Path(log, "staging/" + batchId);
    try {
      FileSystem fs = table.getFileSystem(rows.sparkSession().sparkContext().hadoopConfiguration());
      if (fs.exists(done)) {
        return;
      }
      if (fs.exists(pending)) {
        for (String name : new String(readAll(fs, pending), StandardCharsets.UTF_8).split("\n")) {
          if (!name.isBlank()) {
            fs.delete(new Path(table, name), false);
          }
        }
      }
      fs.delete(staging, true);
      writer.format("parquet").save(staging.toString());
      List<String[]> moves = new ArrayList<>();
      RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> files = fs.listFiles(staging, true);
      int n = 0;
      while (files.hasNext()) {
        FileStatus f = files.next();
        String name = f.getPath().getName();
        if (name.startsWith("_") || name.startsWith(".")) {
          continue;
        }
        String relativeDir =
            f.getPath().getParent().toUri().getPath().substring(staging.toUri().getPath().length());
        String target =
            (relativeDir.startsWith("/") ? relativeDir.substring(1) + "/" : relativeDir)
                + String.format("part-stream-%s-%06d-%05d.parquet", streamId, batchId, n++);
        moves.add(new String[] {f.getPath().toString(), target.replaceFirst("^/", "")});
      }
      try (FSDataOutputStream out = fs.create(pending, true)) {
        for (String[] m : moves) {
          out.write((m[1] + "\n").getBytes(StandardCharsets.UTF_8));
        }
      }
      for (String[] m : moves) {
        Path target = new Path(table, m[1]);
        fs.mkdirs(target.getParent());
        if (!fs.rename(new Path(m[0]), target)) {
          throw new IOException("cannot rename " + m[0] + " to " + target);
        }
      }
      fs.create(done, true).close();
      fs.delete(pending, false);
      fs.delete(staging, true);
    } catch (IOException e) {
      throw new StoreUnavailableException(
          "offline log " + path + ": cannot append batch " + batchId + ": " + e.getMessage(), e);
    }
  }

  private static byte[] readAll(FileSystem fs, Path p) throws IOException {
    try (var in = fs.open(p)) {
      return in.readAllBytes();
    }
  }
}
