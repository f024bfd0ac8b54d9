package io.featureingest.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.featureingest.offline.OfflineStore;
import io.featureingest.offline.StagedWrite;
import io.featureingest.online.Materialization;
import io.featureingest.testing.TestSpark;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * materialize-incremental's late rows: exactly the commits since the last run's mark when the store
 * keeps a history (none of today's stores do; Iceberg will), else by created timestamp.
 */
class LateRowsTest {
  static final Instant OLDEST = Instant.parse("2025-01-01T00:00:00Z");
  static final Instant FROM = Instant.parse("2025-01-03T00:00:00Z");
  static final Duration GRACE = Duration.ofHours(1);

  /** Answers reads with marked frames and records what was asked. */
  static final class RecordingStore implements OfflineStore {
    final List<String> calls = new ArrayList<>();
    final Dataset<Row> window = TestSpark.get().range(1).toDF();
    final Dataset<Row> committed = TestSpark.get().range(2).toDF();

    @Override
    public Dataset<Row> read(SparkSession spark, Instant start, Instant end) {
      calls.add("read " + start + " " + end);
      return window;
    }

    @Override
    public Dataset<Row> readCommitted(
        SparkSession spark, String since, String until, Instant start, Instant end) {
      calls.add("committed " + since + ".." + until + " " + start + " " + end);
      return committed;
    }

    @Override
    public String location() {
      return "recording";
    }

    @Override
    public boolean exists(SparkSession spark) {
      return true;
    }

    @Override
    public void create(SparkSession spark) {}

    @Override
    public Dataset<Row> read(SparkSession spark) {
      throw new AssertionError("late rows read a window, never the whole table");
    }

    @Override
    public void checkSpec(WriteMode mode) {}

    @Override
    public void checkSchema(StructType found) {}

    @Override
    public boolean stages(WriteMode mode) {
      return false;
    }

    @Override
    public StagedWrite stage(Dataset<Row> rows, WriteMode mode, String runId) {
      throw new AssertionError();
    }

    @Override
    public OptionalLong write(Dataset<Row> rows, WriteMode mode) {
      throw new AssertionError();
    }

    @Override
    public void appendLogged(Dataset<Row> rows, String streamId, long batchId) {
      throw new AssertionError();
    }
  }

  private static Optional<Materialization.LateRows> late(
      RecordingStore store, Map<String, String> state, Optional<String> mark) {
    return Materializing.lateRows(TestSpark.get(), store, state, mark, OLDEST, FROM, GRACE);
  }

  @Test
  void withACommitHistoryTheCommitsSinceTheLastMarkAreTheLateRows() {
    RecordingStore store = new RecordingStore();
    var state =
        Map.of(
            Materializing.WATERMARK, FROM.toString(),
            Materializing.LAST_RUN_STARTED, "2025-01-03T00:05:00Z",
            Materializing.LAST_COMMIT, "41");
    Materialization.LateRows late = late(store, state, Optional.of("42")).orElseThrow();
    assertThat(late.rows()).isSameAs(store.committed);
    assertThat(late.createdAfter()).isEqualTo(Materializing.EARLIEST);
    assertThat(store.calls).containsExactly("committed 41..42 " + OLDEST + " " + FROM);
  }

  @Test
  void withoutAMarkOfTheLastRunRowsCreatedSinceItStartedAreTheLateRows() {
    RecordingStore store = new RecordingStore();
    var state =
        Map.of(
            Materializing.WATERMARK,
            FROM.toString(),
            Materializing.LAST_RUN_STARTED,
            "2025-01-03T00:05:00Z");
    for (Optional<String> mark : List.of(Optional.<String>empty(), Optional.of("42"))) {
      Materialization.LateRows late = late(store, state, mark).orElseThrow();
      assertThat(late.rows()).isSameAs(store.window);
      assertThat(late.createdAfter()).isEqualTo(Instant.parse("2025-01-02T23:05:00Z"));
    }
    assertThat(store.calls).containsOnly("read " + OLDEST + " " + FROM);
  }

  @Test
  void aFirstRunHasNoLateRows() {
    RecordingStore store = new RecordingStore();
    assertThat(late(store, Map.of(), Optional.of("42"))).isEmpty();
    assertThat(store.calls).isEmpty();
  }
}
