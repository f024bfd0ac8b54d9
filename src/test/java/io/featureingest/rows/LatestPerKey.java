package io.featureingest.rows;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.xxhash64;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRow;
import org.apache.spark.sql.types.StructType;

/**
 * The reference the newest-row paths of main are checked against (it was main's sorted path until
 * every path called {@link NewestRow}): one shuffle on {@code xxhash64(key)}, a sort of each
 * partition on that hash, and one pass that keeps the newest row of each run of equal keys. Its
 * order is written out by hand, independently of {@link NewestRow}: the version (event, then
 * created, nulls lowest), then every other column in frame order, each value in Spark's ascending
 * order as documented (nulls first; strings and bytes as unsigned bytes; NaN greatest and -0.0
 * equal to 0.0; lists element by element, then by length).
 */
final class LatestPerKey {
  private static final String KEY_HASH = "_fi_key_hash";

  private LatestPerKey() {}

  /** The latest row of each entity key of a {@link TableFrame}, same columns, same order. */
  static Dataset<Row> withLatestPerKey(Dataset<Row> frame, List<String> keyColumns) {
    Column[] keys = keyColumns.stream().map(k -> col(Projection.quote(k))).toArray(Column[]::new);
    Dataset<Row> sorted =
        frame
            .withColumn(KEY_HASH, xxhash64(keys))
            .repartition(col(KEY_HASH))
            .sortWithinPartitions(col(KEY_HASH));
    StructType schema = sorted.schema();
    Layout layout =
        new Layout(
            schema.fieldIndex(KEY_HASH), // the last column: the output drops it
            keyColumns.stream().mapToInt(schema::fieldIndex).toArray(),
            schema.fieldIndex(TableFrame.EVENT_TS),
            schema.fieldIndex(TableFrame.CREATED_TS),
            schema.fields().length);
    return sorted.mapPartitions(
        (MapPartitionsFunction<Row, Row>) rows -> new Newest(rows, layout),
        Encoders.row(frame.schema()));
  }

  /** Column positions of a hashed {@link TableFrame}. */
  record Layout(int hash, int[] keys, int event, int created, int width)
      implements java.io.Serializable {
    long hash(Row row) {
      return row.getLong(hash);
    }

    /** The row without the hash column (the last one). */
    Row emit(Row row) {
      Object[] values = new Object[hash];
      for (int i = 0; i < values.length; i++) {
        values[i] = row.get(i);
      }
      return new GenericRow(values);
    }

    boolean sameKey(Row a, Row b) {
      for (int k : keys) {
        Object x = a.get(k);
        Object y = b.get(k);
        boolean equal =
            x instanceof byte[] bx && y instanceof byte[] by
                ? Arrays.equals(bx, by)
                : Objects.equals(x, y);
        if (!equal) {
          return false;
        }
      }
      return true;
    }

    /** Version first (nulls lowest), then every other column, so equal versions tie-break. */
    int compare(Row a, Row b) {
      int c = compareValues(a.get(event), b.get(event));
      if (c == 0) {
        c = compareValues(a.get(created), b.get(created));
      }
      for (int i = 0; c == 0 && i < width; i++) {
        if (i != event && i != created && i != hash) {
          c = compareValues(a.get(i), b.get(i));
        }
      }
      return c;
    }
  }

  /** Spark's ascending order of two values of one column, nulls first. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static int compareValues(Object a, Object b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    if (a instanceof byte[] x && b instanceof byte[] y) {
      return Arrays.compareUnsigned(x, y);
    }
    if (a instanceof String x && b instanceof String y) {
      return Arrays.compareUnsigned(
          x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8));
    }
    if (a instanceof Double x && b instanceof Double y) {
      return x.doubleValue() == y.doubleValue() ? 0 : Double.compare(x, y);
    }
    if (a instanceof Float x && b instanceof Float y) {
      return x.floatValue() == y.floatValue() ? 0 : Float.compare(x, y);
    }
    if (a instanceof scala.collection.Seq<?> x && b instanceof scala.collection.Seq<?> y) {
      for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
        int c = compareValues(x.apply(i), y.apply(i));
        if (c != 0) {
          return c;
        }
      }
      return Integer.compare(x.size(), y.size());
    }
    return ((Comparable) a).compareTo(b);
  }

  /**
   * Streams the rows of a partition sorted by key hash and yields the newest row per key. Within a
   * run of equal hashes it keeps one candidate per distinct key (almost always one).
   */
  static final class Newest implements Iterator<Row> {
    private final Iterator<Row> rows;
    private final Layout order;
    private final List<Row> run = new ArrayList<>(2);
    private int emitted;
    private Row lookahead;

    Newest(Iterator<Row> rows, Layout order) {
      this.rows = rows;
      this.order = order;
      this.lookahead = rows.hasNext() ? rows.next() : null;
    }

    @Override
    public boolean hasNext() {
      if (emitted < run.size()) {
        return true;
      }
      if (lookahead == null) {
        return false;
      }
      run.clear();
      emitted = 0;
      long hash = order.hash(lookahead);
      while (lookahead != null && order.hash(lookahead) == hash) {
        offer(lookahead);
        lookahead = rows.hasNext() ? rows.next() : null;
      }
      return true;
    }

    private void offer(Row row) {
      for (int i = 0; i < run.size(); i++) {
        Row candidate = run.get(i);
        if (order.sameKey(candidate, row)) {
          if (order.compare(row, candidate) > 0) {
            run.set(i, row);
          }
          return;
        }
      }
      run.add(row);
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return order.emit(run.get(emitted++));
    }
  }
}
