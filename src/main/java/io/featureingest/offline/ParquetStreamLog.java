package io.featureingest.offline;

import io.featureingest.spec.StoreErrors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A stream's micro-batch appended to a Parquet table exactly once, even when Spark retries the
 * batch: it is written to {@code _stream_log/<stream>/staging/<batch>}, then its files are renamed
 * into the table with names that carry the stream id and batch id, and a {@code
 * _stream_log/<stream>/<batch>.done} marker is written last. A retried batch finds the marker and
 * skips; a batch that died midway first deletes the files its {@code .pending} list names. Readers
 * may see a batch's files before its marker (Parquet has no transactions).
 */
final class ParquetStreamLog {
  private ParquetStreamLog() {}

  static void append(
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
      throw StoreErrors.streamLogFailed(path, batchId, e);
    }
  }

  private static byte[] readAll(FileSystem fs, Path p) throws IOException {
    try (var in = fs.open(p)) {
      return in.readAllBytes();
    }
  }
}
