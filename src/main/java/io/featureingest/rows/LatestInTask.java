package io.featureingest.rows;

import static org.apache.spark.sql.functions.col;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Rule 2 ({@link NewestRow}) for one stream micro-batch, without a sort: the rows of a key are
 * brought into one task (a small batch: all rows in one task, no shuffle at all; a large one:
 * hash-partitioned by the entity columns into a few tasks), and the task keeps the newest row per
 * key in a hash map. A {@code max(struct)} aggregate has no hash aggregate in Spark, so it sorts on
 * both sides of a shuffle with {@code spark.sql.shuffle.partitions} tasks (200 by default; AQE,
 * which would coalesce them, is off inside a streaming query) — more than the whole work of a
 * 10k-row batch.
 */
public final class LatestInTask {
  /** Up to this many rows, one task dedups and writes the batch (no shuffle). */
  public static final long ROWS_PER_TASK = 50_000;

  private LatestInTask() {}

  /** The latest row of each key of a {@link TableFrame}, same columns; {@code rows} its size. */
  public static Dataset<Row> withLatestPerKey(
      Dataset<Row> frame, List<String> keyColumns, long rows, int maxTasks) {
    int tasks = (int) Math.max(1, Math.min(maxTasks, (rows + ROWS_PER_TASK - 1) / ROWS_PER_TASK));
    Dataset<Row> grouped =
        tasks == 1
            ? frame.coalesce(1)
            : frame.repartition(
                tasks,
                keyColumns.stream().map(k -> col(Projection.quote(k))).toArray(Column[]::new));
    Picker picker = Picker.of(frame.schema(), keyColumns);
    return grouped.mapPartitions(
        (MapPartitionsFunction<Row, Row>)
            it -> {
              Map<List<Object>, Row> latest = new HashMap<>();
              it.forEachRemaining(r -> picker.offer(latest, r));
              return latest.values().iterator();
            },
        Encoders.row(frame.schema()));
  }

  /** Where the key sits in a TableFrame's rows, and which of two rows of a key wins. */
  public static final class Picker implements Serializable {
    private final int[] keys;
    private final NewestRow rule;

    private Picker(int[] keys, NewestRow rule) {
      this.keys = keys;
      this.rule = rule;
    }

    public static Picker of(StructType schema, List<String> keyColumns) {
      return new Picker(
          keyColumns.stream().mapToInt(schema::fieldIndex).toArray(),
          NewestRow.ofFrame(schema, keyColumns));
    }

    /** Keeps {@code row} in {@code latest} when it is the newest row of its key so far. */
    public void offer(Map<List<Object>, Row> latest, Row row) {
      List<Object> key = new ArrayList<>(keys.length);
      for (int k : keys) {
        Object v = row.get(k);
        key.add(v instanceof byte[] b ? ByteBuffer.wrap(b) : v);
      }
      latest.merge(key, row, (a, b) -> rule.compare(a, b) >= 0 ? a : b);
    }

    /** Position of the event timestamp in the rows. */
    public int event() {
      return rule.eventIndex();
    }
  }
}
