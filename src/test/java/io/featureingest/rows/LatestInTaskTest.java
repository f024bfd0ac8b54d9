package io.featureingest.rows;

import static org.assertj.core.api.Assertions.assertThat;

import io.featureingest.testing.TestSpark;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The stream's in-task dedup picks the same row per key as the reference, {@link LatestPerKey}. */
class LatestInTaskTest {
  static final StructType SCHEMA =
      new StructType()
          .add("driver_id", DataTypes.LongType)
          .add("rating", DataTypes.DoubleType)
          .add(TableFrame.EVENT_TS, DataTypes.TimestampType)
          .add(TableFrame.CREATED_TS, DataTypes.TimestampType);

  @Test
  void sameRowsAsLatestPerKeyInOneTaskAndInSeveral() {
    List<Row> rows = new ArrayList<>();
    for (long id = 0; id < 50; id++) {
      long base = 1_700_000_000_000L;
      rows.add(RowFactory.create(id, 1.0, ts(base), null));
      rows.add(RowFactory.create(id, 2.0, ts(base + id % 3), ts(base))); // newer event for most
      rows.add(RowFactory.create(id, 3.0, ts(base + id % 3), null)); // same event, null created
      rows.add(RowFactory.create(id, id % 2 == 0 ? 4.0 : 0.5, ts(base + id % 3), ts(base))); // tie
    }
    Dataset<Row> frame = TestSpark.get().createDataFrame(rows, SCHEMA).repartition(3);
    List<String> expected = sorted(LatestPerKey.withLatestPerKey(frame, List.of("driver_id")));

    assertThat(sorted(LatestInTask.withLatestPerKey(frame, List.of("driver_id"), 200, 2)))
        .as("one task, no shuffle")
        .isEqualTo(expected)
        .hasSize(50);
    assertThat(
            sorted(
                LatestInTask.withLatestPerKey(
                    frame, List.of("driver_id"), 3 * LatestInTask.ROWS_PER_TASK, 2)))
        .as("hash-partitioned into two tasks")
        .isEqualTo(expected);
  }

  private static Timestamp ts(long millis) {
    return new Timestamp(millis);
  }

  private static List<String> sorted(Dataset<Row> d) {
    return d.collectAsList().stream().map(Row::toString).sorted().toList();
  }
}
