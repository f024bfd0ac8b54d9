package io.featureingest.rows;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.assertj.core.api.Assertions.assertThat;

import io.featureingest.testing.TestSpark;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The one newest-row rule against the hand-written reference ({@link LatestPerKey}) on random rows
 * built to tie: few versions, null created timestamps, and tie-break values where Java's natural
 * order and Spark's differ (a supplementary character against U+FFFF, bytes over 0x7f, lists of
 * numbers with nulls, NaN). Every form is checked: both Java comparators pair by pair, the Spark
 * orderings as a sort, and each path's newest row per key.
 */
class NewestRowTest {
  private static final StructType SCHEMA =
      StructType.fromDDL(
          "k STRING, i INT, s STRING, b BINARY, l ARRAY<INT>, d DOUBLE, "
              + TableFrame.EVENT_TS
              + " TIMESTAMP, "
              + TableFrame.CREATED_TS
              + " TIMESTAMP");

  private static final String[] STRINGS = {null, "a", "é", "\uFFFF", "\uD83D\uDE00", ""};
  private static final byte[][] BYTES = {null, {}, {1}, {(byte) 0x80}, {1, 0}, {(byte) 0xff, 1}};
  private static final Integer[][] LISTS = {
    null, {}, {1}, {null}, {1, null}, {10}, {9}, {1, 2}, {-1}
  };
  private static final Double[] DOUBLES = {null, 0.0, 1.5, Double.NaN, -1.0};

  private static <T> T pick(Random r, T[] values) {
    return values[r.nextInt(values.length)];
  }

  private static List<Integer> list(Integer[] values) {
    return values == null ? null : Arrays.asList(values);
  }

  private static Timestamp second(long s) {
    return Timestamp.from(Instant.ofEpochSecond(1_700_000_000L + s));
  }

  /** Random rows, as Spark hands them back (lists as Scala sequences). */
  private static List<Row> randomRows(long seed, int n) {
    Random r = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (int j = 0; j < n; j++) {
      rows.add(
          RowFactory.create(
              "k" + r.nextInt(30),
              r.nextInt(4) == 0 ? null : r.nextInt(3) - 1,
              pick(r, STRINGS),
              pick(r, BYTES),
              list(pick(r, LISTS)),
              pick(r, DOUBLES),
              second(r.nextInt(3)),
              r.nextInt(3) == 0 ? null : second(r.nextInt(2))));
    }
    return frame(rows).collectAsList();
  }

  private static Dataset<Row> frame(List<Row> rows) {
    return TestSpark.get().createDataFrame(rows, SCHEMA).repartition(3);
  }

  /** The reference's order over every column but the version ones, keys included. */
  private static final LatestPerKey.Layout REFERENCE =
      new LatestPerKey.Layout(-1, new int[] {0}, 6, 7, SCHEMA.size());

  @Test
  void bothJavaComparatorsOrderEveryPairAsTheReference() {
    List<Row> rows = randomRows(1, 150);
    NewestRow rule =
        NewestRow.of(SCHEMA, TableFrame.EVENT_TS, Optional.of(TableFrame.CREATED_TS), List.of());
    var toCatalyst = CatalystTypeConverters.createToCatalystConverter(SCHEMA);
    UnsafeProjection unsafe = UnsafeProjection.create(SCHEMA);
    List<InternalRow> binary = new ArrayList<>();
    for (Row r : rows) {
      binary.add(unsafe.apply((InternalRow) toCatalyst.apply(r)).copy());
    }
    List<String> disagreements = new ArrayList<>();
    for (int a = 0; a < rows.size(); a++) {
      for (int b = 0; b < rows.size(); b++) {
        int expected = Integer.signum(REFERENCE.compare(rows.get(a), rows.get(b)));
        if (Integer.signum(rule.compare(rows.get(a), rows.get(b))) != expected
            || Integer.signum(rule.compare(binary.get(a), binary.get(b))) != expected) {
          disagreements.add(rows.get(a) + " vs " + rows.get(b));
        }
      }
    }
    assertThat(disagreements).isEmpty();
  }

  @Test
  void sparkOrderingSortsAsTheComparator() {
    List<Row> rows = randomRows(2, 1000);
    NewestRow rule =
        NewestRow.of(SCHEMA, TableFrame.EVENT_TS, Optional.of(TableFrame.CREATED_TS), List.of());
    List<Row> bySpark = frame(rows).orderBy(rule.newestFirst()).collectAsList();
    List<Row> byJava = new ArrayList<>(rows);
    byJava.sort(((Comparator<Row>) rule::compare).reversed());
    assertThat(bySpark).isEqualTo(byJava);
  }

  @Test
  void everyPathKeepsTheReferenceRowPerKey() {
    List<Row> rows = randomRows(3, 3000);
    Dataset<Row> frame = frame(rows);
    List<String> key = List.of("k");
    Map<String, Row> expected = byKey(LatestPerKey.withLatestPerKey(frame, key).collectAsList());
    assertThat(expected).hasSize(30);

    assertThat(
            byKey(
                NewestRow.withNewestPer(
                        frame, key, TableFrame.EVENT_TS, Optional.of(TableFrame.CREATED_TS))
                    .collectAsList()))
        .as("row_number window (offline dedup)")
        .isEqualTo(expected);
    assertThat(byKey(greatestStruct(frame).collectAsList()))
        .as("the greatest sortable struct (the join's carried row)")
        .isEqualTo(expected);
    assertThat(byKey(LatestInTask.withLatestPerKey(frame, key, rows.size(), 2).collectAsList()))
        .as("in-task hash map (stream)")
        .isEqualTo(expected);
    assertThat(byKey(NewestByHashTest.newestOf(frame, key)))
        .as("hash table over binary rows (materialize, push)")
        .isEqualTo(expected);
  }

  /** max() of the rule's struct per key, read back into the frame's columns. */
  private static Dataset<Row> greatestStruct(Dataset<Row> frame) {
    List<Column> ties = new ArrayList<>();
    for (String c : List.of("i", "s", "b", "l", "d")) {
      ties.add(col(c).as(c));
    }
    Column sortable =
        NewestRow.sortable(
            col(TableFrame.EVENT_TS).as("e"), col(TableFrame.CREATED_TS).as("c"), ties);
    return frame
        .groupBy(col("k"))
        .agg(max(sortable).as("m"))
        .select(
            col("k"),
            col("m.i"),
            col("m.s"),
            col("m.b"),
            col("m.l"),
            col("m.d"),
            col("m.e").as(TableFrame.EVENT_TS),
            col("m.c").as(TableFrame.CREATED_TS));
  }

  private static Map<String, Row> byKey(List<Row> rows) {
    Map<String, Row> out = new HashMap<>();
    for (Row r : rows) {
      assertThat(out.put(r.getString(0), r)).as("one row per key").isNull();
    }
    return out;
  }
}
