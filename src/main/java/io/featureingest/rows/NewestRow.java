package io.featureingest.rows;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;

import java.io.Serializable;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Ascending$;
import org.apache.spark.sql.catalyst.expressions.BoundReference;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.InterpretedOrdering;
import org.apache.spark.sql.catalyst.expressions.SortOrder;
import org.apache.spark.sql.catalyst.expressions.SortOrder$;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.StructType;
import scala.Function1;
import scala.collection.JavaConverters;

/**
 * Rule 2, the newest-row rule, defined once for every path: of two rows of one entity key, the one
 * with the greater version wins. The version is the event timestamp, then the created timestamp, a
 * null created sorting lowest. Two rows of equal version are told apart by their other columns in
 * frame order (the key columns, equal anyway, left out), each in Spark's own ascending order with
 * nulls lowest, so that which row wins depends neither on the order rows arrive in (a retried task
 * writes the same row) nor on the path that picks it.
 *
 * <p>The same order in the forms the paths need:
 *
 * <ul>
 *   <li>{@link #compare(Row, Row)}: external rows, for the stream's in-task dedup ({@link
 *       LatestInTask});
 *   <li>{@link #compare(InternalRow, InternalRow)}: Spark's binary rows, for materialize and push
 *       ({@link NewestByHash});
 *   <li>{@link #newestFirst()} and {@link #withNewestPer}: Spark orderings for a {@code row_number}
 *       window (the offline Delta MERGE dedup);
 *   <li>{@link #sortable}: a struct whose ascending order is the rule (Spark compares structs field
 *       by field, ascending, nulls first), for the point-in-time join's carried row.
 * </ul>
 *
 * The version comparison is plain Java on timestamps or microseconds (it decides almost every
 * comparison); the tie-break goes through Spark's {@link InterpretedOrdering} on Spark's values, so
 * the Java forms order strings (UTF-8 bytes), floats (NaN greatest, -0.0 = 0.0), bytes and lists
 * exactly as Spark's sort does in the window and the join.
 *
 * <pre>{@code
 * NewestRow rule = NewestRow.ofFrame(frame.schema(), table.entityNames());
 * if (rule.compare(candidate, kept) > 0) kept = candidate;
 * }</pre>
 */
public final class NewestRow implements Serializable {
  private final StructType schema;
  private final int event;
  private final int created; // -1: the rows have no created timestamp (all null)
  private final int[] ties;

  private transient InterpretedOrdering tieOrder;
  private transient Function1<Object, Object> toCatalyst;

  private NewestRow(StructType schema, int event, int created, int[] ties) {
    this.schema = schema;
    this.event = event;
    this.created = created;
    this.ties = ties;
  }

  /**
   * The rule over rows of {@code schema}: {@code event} and {@code created} are the version
   * columns; {@code notCompared} are columns equal within a key (the key itself, a hash of it),
   * which the tie-break skips; every other column breaks ties, in schema order.
   */
  public static NewestRow of(
      StructType schema, String event, Optional<String> created, Collection<String> notCompared) {
    int e = schema.fieldIndex(event);
    int c = created.map(schema::fieldIndex).orElse(-1);
    List<Integer> ties = new ArrayList<>();
    String[] names = schema.fieldNames();
    for (int i = 0; i < names.length; i++) {
      if (i != e && i != c && !notCompared.contains(names[i])) {
        ties.add(i);
      }
    }
    return new NewestRow(schema, e, c, ties.stream().mapToInt(Integer::intValue).toArray());
  }

  /**
   * The rule over a {@link TableFrame}'s rows whose key (and any column derived from it) is given.
   */
  public static NewestRow ofFrame(StructType schema, Collection<String> notCompared) {
    Optional<String> created =
        Arrays.asList(schema.fieldNames()).contains(TableFrame.CREATED_TS)
            ? Optional.of(TableFrame.CREATED_TS)
            : Optional.empty();
    return of(schema, TableFrame.EVENT_TS, created, notCompared);
  }

  /** Position of the event timestamp in the rows. */
  public int eventIndex() {
    return event;
  }

  /** Greater than 0 when {@code a} is newer than {@code b}, 0 when they tie on every column. */
  public int compare(Row a, Row b) {
    int c = compareTimes(a.get(event), b.get(event));
    if (c == 0 && created >= 0) {
      c = compareTimes(a.get(created), b.get(created));
    }
    if (c != 0 || ties.length == 0) {
      return c;
    }
    // a tie on the whole version is rare: Spark's values and Spark's order settle it
    return tieOrder().compare(catalyst(a), catalyst(b));
  }

  /** As {@link #compare(Row, Row)}, on Spark's rows (timestamps as microseconds). */
  public int compare(InternalRow a, InternalRow b) {
    int c = compareMicros(a, b, event);
    if (c == 0 && created >= 0) {
      c = compareMicros(a, b, created);
    }
    return c != 0 || ties.length == 0 ? c : tieOrder().compare(a, b);
  }

  /**
   * The same order as Spark orderings, newest first: row 1 of a window ordered by these is the
   * winner. Descending with nulls last is the reverse of ascending with nulls first.
   */
  public Column[] newestFirst() {
    List<Column> out = new ArrayList<>();
    for (int i : compared()) {
      out.add(col(Projection.quote(schema.fieldNames()[i])).desc_nulls_last());
    }
    return out.toArray(Column[]::new);
  }

  private int[] compared() {
    int[] out = new int[ties.length + (created >= 0 ? 2 : 1)];
    int n = 0;
    out[n++] = event;
    if (created >= 0) {
      out[n++] = created;
    }
    System.arraycopy(ties, 0, out, n, ties.length);
    return out;
  }

  /**
   * The newest row of each group of {@code partitionColumns} (the entity key, maybe more): {@code
   * row_number} over a window ordered by {@link #newestFirst()}. Same columns, same order.
   */
  public static Dataset<Row> withNewestPer(
      Dataset<Row> rows, List<String> partitionColumns, String event, Optional<String> created) {
    NewestRow rule = of(rows.schema(), event, created, partitionColumns);
    String rank = "_fi_rank";
    Column[] partition =
        partitionColumns.stream().map(k -> col(Projection.quote(k))).toArray(Column[]::new);
    return rows.withColumn(
            rank, row_number().over(Window.partitionBy(partition).orderBy(rule.newestFirst())))
        .where(col(rank).equalTo(1))
        .drop(rank);
  }

  /**
   * A struct of the version and the tie-break columns whose ascending order is the rule, so that
   * the greatest such struct of a key is its newest row. {@code event} and {@code created} are the
   * version (timestamps or their microseconds; a null created sorts lowest), {@code ties} the other
   * columns in frame order. Name the columns ({@code .as}) to read fields back.
   */
  public static Column sortable(Column event, Column created, List<Column> ties) {
    List<Column> fields = new ArrayList<>(List.of(event, created));
    fields.addAll(ties);
    return struct(fields.toArray(Column[]::new));
  }

  private InterpretedOrdering tieOrder() {
    if (tieOrder == null) {
      List<SortOrder> orders = new ArrayList<>();
      List<Expression> none = List.of();
      for (int i : ties) {
        orders.add(
            SortOrder$.MODULE$.apply(
                new BoundReference(i, schema.fields()[i].dataType(), true),
                Ascending$.MODULE$,
                JavaConverters.asScalaBuffer(none).toSeq()));
      }
      tieOrder = new InterpretedOrdering(JavaConverters.asScalaBuffer(orders).toSeq());
    }
    return tieOrder;
  }

  private InternalRow catalyst(Row row) {
    if (toCatalyst == null) {
      toCatalyst = CatalystTypeConverters.createToCatalystConverter(schema);
    }
    return (InternalRow) toCatalyst.apply(row);
  }

  /** Null lowest; {@code Timestamp}s (or {@code Instant}s, with Spark's Java 8 time API). */
  private static int compareTimes(Object x, Object y) {
    if (x == null || y == null) {
      return x == null ? (y == null ? 0 : -1) : 1;
    }
    if (x instanceof Timestamp a && y instanceof Timestamp b) {
      return a.compareTo(b);
    }
    return instant(x).compareTo(instant(y));
  }

  private static Instant instant(Object v) {
    return v instanceof Timestamp t ? t.toInstant() : (Instant) v;
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
