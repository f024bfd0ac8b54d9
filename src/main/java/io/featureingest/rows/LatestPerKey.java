package io.featureingest.rows;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.xxhash64;

import io.featureingest.spec.FeatureTable;
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
import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Rule 2: per entity key, the row with the greatest version (event timestamp, then created
 * timestamp, a null created sorting lowest) wins. Used by materialize, push and stream.
 *
 * <p>One shuffle, hash-partitioned on {@code xxhash64(entities)}, then a sort of each partition on
 * that single long column, which Spark does as a radix sort, and one pass that keeps the newest row
 * of each run of equal keys (rows of one key are adjacent because equal keys have equal hashes; the
 * rare different keys sharing a hash are kept apart by comparing the key values).
 *
 * <p>It used to be {@code max(struct(version, ...))} grouped by the key, but Spark has no hash
 * aggregate for a struct-valued buffer and ran it as a sort aggregate on both sides of the shuffle:
 * on 1M rows over 500k keys, 6.3 s against 3.6 s for this (docs/online-store.md). The map-side
 * partial aggregate it bought saves shuffle bytes only when one map task sees several versions of a
 * key, and a materialize window of ingested data rarely does.
 *
 * <p>Rows of equal version are ordered by their remaining columns, so which one wins does not
 * depend on the order they arrive in (a retried task writes the same row).
 */
public final class LatestPerKey {
  private static final String KEY_HASH = "_fi_key_hash";

  private LatestPerKey() {}

  /** The latest row of each entity key of a {@link TableFrame}, same columns, same order. */
  public static Dataset<Row> withLatestPerKey(Dataset<Row> frame, FeatureTable table) {
    return withLatestPerKey(frame, table.entityNames());
  }

  public static Dataset<Row> withLatestPerKey(Dataset<Row> frame, List<String> keyColumns) {
    Dataset<Row> sorted = sortedByKeyHash(frame, keyColumns);
    StructType schema = sorted.schema();
    Layout layout =
        new Layout(
            schema.fieldIndex(KEY_HASH), // the last column: the output drops it
            keyColumns.stream().mapToInt(schema::fieldIndex).toArray(),
            schema.fieldIndex(TableFrame.EVENT_TS),
            schema.fieldIndex(TableFrame.CREATED_TS),
            schema.fields().length);
    // The rows come out without the hash column (it is the last one), so no projection sits
    // between this and a writer's foreachPartition and Spark drops the serialize/deserialize pair.
    return sorted.mapPartitions(
        (MapPartitionsFunction<Row, Row>) rows -> new Newest(rows, layout),
        Encoders.row(frame.schema()));
  }

  /**
   * The frame with its key hash as an extra last column, hash-partitioned and sorted on it, so that
   * the rows of a key are adjacent in one task: the first step of {@link #withLatestPerKey}.
   */
  private static Dataset<Row> sortedByKeyHash(Dataset<Row> frame, List<String> keyColumns) {
    return withKeyHash(frame, keyColumns)
        .repartition(col(KEY_HASH))
        .sortWithinPartitions(col(KEY_HASH));
  }

  /**
   * The frame with its key hash as an extra last column, hash-partitioned on it into {@code
   * partitions} tasks and not sorted: all rows of a key are in one task. {@link NewestByHash} takes
   * the latest row per key from each partition's Spark rows (what the online writer does, without
   * turning rows into {@code Row}s).
   */
  public static Dataset<Row> hashedByKey(
      Dataset<Row> frame, List<String> keyColumns, int partitions) {
    return withKeyHash(frame, keyColumns).repartition(partitions, col(KEY_HASH));
  }

  private static Dataset<Row> withKeyHash(Dataset<Row> frame, List<String> keyColumns) {
    Column[] keys = keyColumns.stream().map(k -> col(Projection.quote(k))).toArray(Column[]::new);
    return frame.withColumn(KEY_HASH, xxhash64(keys));
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
        if (!equalValues(a.get(k), b.get(k))) {
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

  /** Key values equal, byte arrays by content. */
  static boolean equalValues(Object x, Object y) {
    return x instanceof byte[] bx && y instanceof byte[] by
        ? Arrays.equals(bx, by)
        : Objects.equals(x, y);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static int compareValues(Object a, Object b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    if (a instanceof byte[] x && b instanceof byte[] y) {
      return Arrays.compareUnsigned(x, y);
    }
    if (a instanceof Comparable && a.getClass() == b.getClass()) {
      return ((Comparable) a).compareTo(b);
    }
    return String.valueOf(a).compareTo(String.valueOf(b));
  }

  /**
   * Column positions and types of a hashed {@link TableFrame}'s internal rows, for {@link
   * NewestByHash}.
   */
  record InternalLayout(
      int hash, int[] keys, int event, int created, DataType[] types, int[] others)
      implements java.io.Serializable {
    static InternalLayout of(StructType schema, List<String> keyColumns) {
      int hash = schema.fieldIndex(KEY_HASH);
      int event = schema.fieldIndex(TableFrame.EVENT_TS);
      int created = schema.fieldIndex(TableFrame.CREATED_TS);
      DataType[] types =
          Arrays.stream(schema.fields()).map(StructField::dataType).toArray(DataType[]::new);
      List<Integer> others = new ArrayList<>();
      for (int i = 0; i < types.length; i++) {
        if (i != hash && i != event && i != created) {
          others.add(i);
        }
      }
      return new InternalLayout(
          hash,
          keyColumns.stream().mapToInt(schema::fieldIndex).toArray(),
          event,
          created,
          types,
          others.stream().mapToInt(Integer::intValue).toArray());
    }

    long hash(InternalRow row) {
      return row.getLong(hash);
    }

    boolean sameKey(InternalRow a, InternalRow b) {
      for (int k : keys) {
        if (!equalValues(a.get(k, types[k]), b.get(k, types[k]))) {
          return false;
        }
      }
      return true;
    }

    /**
     * As {@link Layout#compare}: the version (timestamps as micros, null lowest), then the rest.
     */
    int compare(InternalRow a, InternalRow b) {
      int c = compareMicros(a, b, event);
      if (c == 0) {
        c = compareMicros(a, b, created);
      }
      // a tie on the whole version is rare: compare the other columns as Row values, so that the
      // same row wins as in withLatestPerKey
      for (int j = 0; c == 0 && j < others.length; j++) {
        int i = others[j];
        var toScala = CatalystTypeConverters.createToScalaConverter(types[i]);
        c =
            compareValues(
                toScala.apply(a.isNullAt(i) ? null : a.get(i, types[i])),
                toScala.apply(b.isNullAt(i) ? null : b.get(i, types[i])));
      }
      return c;
    }

    private static int compareMicros(InternalRow a, InternalRow b, int i) {
      boolean na = a.isNullAt(i);
      boolean nb = b.isNullAt(i);
      if (na || nb) {
        return na ? (nb ? 0 : -1) : 1;
      }
      return Long.compare(a.getLong(i), b.getLong(i));
    }
  }

  /**
   * Streams the rows of a partition sorted by key hash and yields the newest row per key. Within a
   * run of equal hashes it keeps one candidate per distinct key (almost always one), so a hot key
   * with millions of rows costs no memory.
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
