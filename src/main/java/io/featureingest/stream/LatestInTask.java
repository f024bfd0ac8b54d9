package io.featureingest.stream;

import static org.apache.spark.sql.functions.col;

import io.featureingest.rows.Projection;
import io.featureingest.rows.TableFrame;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * Rule 2 for one micro-batch, cheaper than {@code ingest.LatestPerKey}'s shuffle: the rows of a key
 * are brought into one task (a small batch: all rows in one task, no shuffle at all; a large one:
 * hash-partitioned by the entity columns into a few tasks), and the task keeps the greatest version
 * per key in a hash map. {@code LatestPerKey}'s {@code max(struct)} has no hash aggregate in Spark,
 * so it sorts on both sides of a shuffle with {@code spark.sql.shuffle.partitions} tasks (200 by
 * default; AQE, which would coalesce them, is off inside a streaming query) — more than the whole
 * work of a 10k-row batch.
 *
 * <p>Same order as {@code LatestPerKey}: event timestamp, then created timestamp (null lowest),
 * then the other columns in frame order (nulls first), so that a tie on the full version is settled
 * the same way every time a batch is replayed.
 */
final class LatestInTask {
  /** Up to this many rows, one task dedups and writes the batch (no shuffle). */
  static final long ROWS_PER_TASK = 50_000;

  private LatestInTask() {}

  /** The latest row of each key of a {@link TableFrame}, same columns; {@code rows} its size. */
  static Dataset<Row> withLatestPerKey(
      Dataset<Row> frame, List<String> keyColumns, long rows, int maxTasks) {
    int tasks = (int) Math.max(1, Math.min(maxTasks, (rows + ROWS_PER_TASK - 1) / ROWS_PER_TASK));
    Dataset<Row> grouped =
        tasks == 1
            ? frame.coalesce(1)
            : frame.repartition(
                tasks,
                keyColumns.stream().map(k -> col(Projection.quote(k))).toArray(Column[]::new));
    Picker picker = Picker.of(frame.columns(), keyColumns);
    return grouped.mapPartitions(
        (MapPartitionsFunction<Row, Row>)
            it -> {
              Map<List<Object>, Row> latest = new HashMap<>();
              it.forEachRemaining(r -> picker.offer(latest, r));
              return latest.values().iterator();
            },
        Encoders.row(frame.schema()));
  }

  /** Where key and version sit in a TableFrame's rows, and which of two rows wins. */
  static final class Picker implements Serializable {
    private final int[] keys;
    private final int event;
    private final int created;
    private final int[] others;
    private transient Comparator<Row> order;

    private Picker(int[] keys, int event, int created, int[] others) {
      this.keys = keys;
      this.event = event;
      this.created = created;
      this.others = others;
    }

    static Picker of(String[] columns, List<String> keyColumns) {
      List<String> all = Arrays.asList(columns);
      int[] keys = keyColumns.stream().mapToInt(all::indexOf).toArray();
      int event = all.indexOf(TableFrame.EVENT_TS);
      int created = all.indexOf(TableFrame.CREATED_TS);
      List<Integer> rest = new ArrayList<>();
      for (int i = 0; i < columns.length; i++) {
        if (i != event && i != created && !keyColumns.contains(columns[i])) {
          rest.add(i);
        }
      }
      return new Picker(keys, event, created, rest.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Keeps {@code row} in {@code latest} when it is the greatest version of its key so far. */
    void offer(Map<List<Object>, Row> latest, Row row) {
      if (order == null) {
        order = versionOrder(event, created, others);
      }
      List<Object> key = new ArrayList<>(keys.length);
      for (int k : keys) {
        Object v = row.get(k);
        key.add(v instanceof byte[] b ? ByteBuffer.wrap(b) : v);
      }
      Comparator<Row> o = order;
      latest.merge(key, row, (a, b) -> o.compare(a, b) >= 0 ? a : b);
    }

    int event() {
      return event;
    }
  }

  @SuppressWarnings("unchecked")
  static Comparator<Row> versionOrder(int event, int created, int[] others) {
    Comparator<Row> c =
        Comparator.comparing(r -> (Comparable<Object>) value(r, event), nullsFirst());
    c = c.thenComparing(r -> (Comparable<Object>) value(r, created), nullsFirst());
    for (int i : others) {
      c = c.thenComparing(r -> (Comparable<Object>) value(r, i), nullsFirst());
    }
    return c;
  }

  private static Comparator<Comparable<Object>> nullsFirst() {
    return Comparator.nullsFirst(Comparator.naturalOrder());
  }

  /**
   * A comparable form of a value: numbers, strings, booleans and timestamps as they are, bytes as
   * unsigned byte strings, anything else (lists) by its text — a fixed order, which is all a tie
   * break needs.
   */
  @SuppressWarnings("unchecked")
  private static Comparable<Object> value(Row r, int i) {
    Object v = r.get(i);
    if (v == null) {
      return null;
    }
    if (v instanceof Timestamp t) {
      return (Comparable<Object>) (Object) t;
    }
    if (v instanceof byte[] b) {
      return (Comparable<Object>) (Object) new UnsignedBytes(b);
    }
    if (v instanceof Comparable<?> c) {
      return (Comparable<Object>) c;
    }
    return (Comparable<Object>) (Object) v.toString();
  }

  private record UnsignedBytes(byte[] bytes) implements Comparable<UnsignedBytes> {
    @Override
    public int compareTo(UnsignedBytes o) {
      return Arrays.compareUnsigned(bytes, o.bytes);
    }
  }
}
