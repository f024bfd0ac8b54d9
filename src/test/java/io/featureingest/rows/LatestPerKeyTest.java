package io.featureingest.rows;

import static org.assertj.core.api.Assertions.assertThat;

import io.featureingest.testing.TestSpark;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class LatestPerKeyTest {
  static final StructType SCHEMA =
      new StructType()
          .add("k", DataTypes.StringType)
          .add("f", DataTypes.IntegerType)
          .add(TableFrame.EVENT_TS, DataTypes.TimestampType)
          .add(TableFrame.CREATED_TS, DataTypes.TimestampType);

  static Row row(String k, int f, long event, Long created) {
    return RowFactory.create(
        k, f, new Timestamp(event * 1000), created == null ? null : new Timestamp(created * 1000));
  }

  /** Random rows with many versions per key, equal versions and null created timestamps. */
  static List<Row> randomRows(Random random, int n) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(
          row(
              "k" + random.nextInt(50),
              random.nextInt(4),
              random.nextInt(5),
              random.nextInt(4) == 0 ? null : (long) random.nextInt(3)));
    }
    return rows;
  }

  /** Per key: greatest (event, created nulls lowest), then greatest f. */
  static Map<String, Row> reference(List<Row> rows) {
    Comparator<Row> order =
        Comparator.<Row, Timestamp>comparing(r -> r.getTimestamp(2))
            .thenComparing(r -> r.getTimestamp(3), Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(r -> r.getInt(1));
    Map<String, Row> out = new HashMap<>();
    for (Row r : rows) {
      out.merge(r.getString(0), r, (a, b) -> order.compare(a, b) >= 0 ? a : b);
    }
    return out;
  }

  /** Exactly one row per key, the reference's. */
  static void assertNewest(List<Row> latest, List<Row> rows) {
    Map<String, Row> expected = reference(rows);
    assertThat(latest).hasSize(expected.size());
    for (Row r : latest) {
      assertThat(r).isEqualTo(expected.get(r.getString(0)));
    }
  }

  @Test
  void keepsTheNewestRowPerKeyWhateverTheInputOrder() {
    Random random = new Random(11);
    List<Row> rows = randomRows(random, 2000);
    for (int round = 0; round < 3; round++) {
      Collections.shuffle(rows, random);
      List<Row> latest =
          LatestPerKey.withLatestPerKey(
                  TestSpark.get().createDataFrame(rows, SCHEMA).repartition(3), List.of("k"))
              .collectAsList();
      assertNewest(latest, rows);
    }
  }

  @Test
  void differentKeysWithTheSameHashStayApart() {
    // every row gets hash 7: one run holds all keys, as a hash collision would
    LatestPerKey.Layout layout = new LatestPerKey.Layout(4, new int[] {0}, 2, 3, 5);
    Random random = new Random(3);
    List<Row> rows = randomRows(random, 500);
    List<Row> hashed = new ArrayList<>();
    for (Row r : rows) {
      hashed.add(RowFactory.create(r.get(0), r.get(1), r.get(2), r.get(3), 7L));
    }
    List<Row> out = new ArrayList<>();
    new LatestPerKey.Newest(hashed.iterator(), layout).forEachRemaining(out::add);
    assertNewest(out, rows);
  }
}
