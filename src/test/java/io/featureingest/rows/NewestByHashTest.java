package io.featureingest.rows;

import static io.featureingest.rows.LatestPerKeyTest.SCHEMA;
import static io.featureingest.rows.LatestPerKeyTest.assertNewest;
import static io.featureingest.rows.LatestPerKeyTest.randomRows;
import static io.featureingest.rows.LatestPerKeyTest.reference;
import static org.assertj.core.api.Assertions.assertThat;

import io.featureingest.testing.TestSpark;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

class NewestByHashTest {
  private static final StructType HASHED = SCHEMA.add("_fi_key_hash", DataTypes.LongType);

  /**
   * Spark's internal rows of a hashed schema as external rows without the hash (the last column).
   */
  private static Row external(InternalRow r, StructType schema) {
    Row full = (Row) CatalystTypeConverters.createToScalaConverter(schema).apply(r);
    Object[] values = new Object[full.length() - 1];
    for (int i = 0; i < values.length; i++) {
      values[i] = full.get(i);
    }
    return RowFactory.create(values);
  }

  /** The frame through hashedByKey and NewestByHash in each task, as external rows. */
  static List<Row> newestOf(Dataset<Row> frame, List<String> keys) {
    Dataset<Row> hashed = NewestByHash.hashedByKey(frame, keys, 3);
    StructType schema = hashed.schema();
    return hashed
        .queryExecution()
        .toRdd()
        .toJavaRDD()
        .mapPartitions(it -> NewestByHash.newest(it, schema, keys))
        .map(r -> external(r, schema))
        .collect();
  }

  private static List<Row> newestOf(List<Row> rows, int inputPartitions) {
    return newestOf(
        TestSpark.get().createDataFrame(rows, SCHEMA).repartition(inputPartitions), List.of("k"));
  }

  @Test
  void keepsTheSameRowsAsLatestPerKeyWhateverTheInputOrder() {
    Random random = new Random(12);
    List<Row> rows = randomRows(random, 2000);
    for (int round = 0; round < 3; round++) {
      Collections.shuffle(rows, random);
      assertNewest(newestOf(rows, 3), rows);
    }
  }

  /** The rows as the hashed frame's internal rows (not UnsafeRows), all with one hash. */
  private static List<InternalRow> sameHash(List<Row> rows) {
    List<InternalRow> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(
          new GenericInternalRow(
              new Object[] {
                UTF8String.fromString(r.getString(0)),
                r.getInt(1),
                r.getTimestamp(2).getTime() * 1000,
                r.isNullAt(3) ? null : r.getTimestamp(3).getTime() * 1000,
                7L
              }));
    }
    return out;
  }

  @Test
  void differentKeysWithTheSameHashStayApart() {
    List<Row> rows = randomRows(new Random(4), 500);
    List<Row> out = new ArrayList<>();
    NewestByHash.newest(sameHash(rows).iterator(), HASHED, List.of("k"))
        .forEachRemaining(r -> out.add(external(r, HASHED)));
    assertNewest(out, rows);
  }

  @Test
  void staysAtItsEndOnceThere() {
    var it =
        NewestByHash.newest(
            sameHash(randomRows(new Random(8), 50)).iterator(), HASHED, List.of("k"), 3);
    it.forEachRemaining(r -> {});
    assertThat(it.hasNext()).isFalse();
    assertThat(it.hasNext()).isFalse();
  }

  @Test
  void manyKeysGrowTheTableAndComeOutOnceEach() {
    List<Row> rows = new ArrayList<>();
    Random random = new Random(5);
    for (int i = 0; i < 30_000; i++) {
      rows.add(LatestPerKeyTest.row("k" + random.nextInt(20_000), i, random.nextInt(1000), null));
    }
    assertNewest(newestOf(rows, 2), rows);
  }

  @Test
  void fullPagesLetRowsOutEarlyAndTheNewestOfEachRoundStillWins() {
    List<Row> rows = randomRows(new Random(6), 3000);
    // about 40 bytes a row: a bound of 4 KB makes many rounds
    NewestByHash newest =
        NewestByHash.newest(sameHashFree(rows).iterator(), HASHED, List.of("k"), 4096);
    List<Row> out = new ArrayList<>();
    newest.forEachRemaining(r -> out.add(external(r, HASHED)));
    assertThat(newest.earlyRounds()).isGreaterThan(5);
    assertThat(out.size()).isGreaterThan(reference(rows).size());
    // what a newer-wins store ends with: the greatest row per key over all rounds
    assertThat(reference(out)).isEqualTo(reference(rows));
  }

  /** The rows as internal rows with distinct hashes per key (a realistic, collision-free hash). */
  private static List<InternalRow> sameHashFree(List<Row> rows) {
    List<InternalRow> out = sameHash(rows);
    for (int i = 0; i < out.size(); i++) {
      ((GenericInternalRow) out.get(i)).update(4, (long) rows.get(i).getString(0).hashCode());
    }
    return out;
  }
}
