package io.featureingest.online;

import io.featureingest.ingest.TableFrame;
import io.featureingest.metrics.PipelineMetrics;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;

/**
 * Writes a {@link TableFrame} (already deduplicated, see {@code LatestPerKey}) to the online store
 * from the executors: each task opens its own store, sends rows in batches of {@code batchSize},
 * and closes it. Counts what landed and what was not newer than the stored row.
 */
public final class OnlineWriter {
  private OnlineWriter() {}

  /** Rows that landed, and rows the store kept its own (newer or equal) version for. */
  public record Counts(long written, long notNewer) {}

  public static Counts write(
      Dataset<Row> frame, OnlineTable table, OnlineStore.Opener opener, int batchSize) {
    var sc = frame.sparkSession().sparkContext();
    LongAccumulator written = sc.longAccumulator("online rows written: " + table.name());
    LongAccumulator sent = sc.longAccumulator("online rows sent: " + table.name());
    Columns columns = Columns.of(frame.columns(), table);
    sc.setJobDescription("write " + table.name() + " to the online store");
    frame.foreachPartition(
        (ForeachPartitionFunction<Row>)
            rows -> {
              if (!rows.hasNext()) {
                return;
              }
              try (OnlineStore store = opener.open()) {
                Counts c = writeAll(rows, columns, table, store, batchSize);
                written.add(c.written());
                sent.add(c.written() + c.notNewer());
              }
            });
    sc.setJobDescription(null);
    return new Counts(written.value(), sent.value() - written.value());
  }

  /**
   * The same write from the driver, for rows already there (a small stream micro-batch): no Spark
   * job, whose scheduling would cost more than writing a few thousand rows.
   */
  public static Counts writeFromDriver(
      Collection<Row> rows,
      String[] columns,
      OnlineTable table,
      OnlineStore.Opener opener,
      int batchSize) {
    if (rows.isEmpty()) {
      return new Counts(0, 0);
    }
    try (OnlineStore store = opener.open()) {
      return writeAll(rows.iterator(), Columns.of(columns, table), table, store, batchSize);
    }
  }

  private static Counts writeAll(
      Iterator<Row> rows, Columns c, OnlineTable table, OnlineStore store, int batchSize) {
    long landed = 0;
    long sent = 0;
    List<OnlineRecord> batch = new ArrayList<>(batchSize);
    while (rows.hasNext()) {
      batch.add(record(rows.next(), c.entity, c.features, c.event, c.created));
      if (batch.size() == batchSize || !rows.hasNext()) {
        long started = System.nanoTime();
        landed += store.write(table, batch);
        PipelineMetrics.onlineWrite(table.name(), System.nanoTime() - started);
        sent += batch.size();
        batch.clear();
      }
    }
    return new Counts(landed, sent - landed);
  }

  /** Where a frame keeps the table's columns. */
  private record Columns(int[] entity, int[] features, int event, int created)
      implements java.io.Serializable {
    static Columns of(String[] columns, OnlineTable table) {
      int event = Arrays.asList(columns).indexOf(TableFrame.EVENT_TS);
      if (event < 0) {
        throw new IllegalArgumentException("not a TableFrame, no " + TableFrame.EVENT_TS);
      }
      return new Columns(
          indexes(columns, table.entityNames()),
          indexes(columns, table.featureNames()),
          event,
          Arrays.asList(columns).indexOf(TableFrame.CREATED_TS));
    }
  }

  static OnlineRecord record(Row row, int[] entity, int[] features, int event, int created) {
    List<Object> key = new ArrayList<>(entity.length);
    for (int i : entity) {
      key.add(javaValue(row.get(i)));
    }
    List<Object> values = new ArrayList<>(features.length);
    for (int i : features) {
      values.add(javaValue(row.get(i)));
    }
    Instant createdTs = created < 0 ? null : instant(row.get(created));
    return new OnlineRecord(key, Version.of(instant(row.get(event)), createdTs), values);
  }

  private static Instant instant(Object v) {
    if (v == null) {
      return null;
    }
    return v instanceof Timestamp t ? t.toInstant() : (Instant) v;
  }

  /** Spark's external row values to the plain Java values {@link OnlineCodec} knows. */
  static Object javaValue(Object v) {
    if (v instanceof Timestamp t) {
      return t.toInstant();
    }
    if (v instanceof scala.collection.Seq<?> seq) {
      List<Object> out = new ArrayList<>(seq.size());
      scala.collection.Iterator<?> it = seq.iterator();
      while (it.hasNext()) {
        out.add(javaValue(it.next()));
      }
      return out;
    }
    return v;
  }

  private static int[] indexes(String[] columns, List<String> names) {
    List<String> all = Arrays.asList(columns);
    int[] out = new int[names.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = all.indexOf(names.get(i));
      if (out[i] < 0) {
        throw new IllegalArgumentException("column " + names.get(i) + " is missing from " + all);
      }
    }
    return out;
  }
}
