package io.featureingest.offline;

import static io.featureingest.offline.OfflineStore.WriteMode.APPEND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featureingest.rows.TableFrame;
import io.featureingest.spec.BatchSource;
import io.featureingest.spec.DataContractException;
import io.featureingest.spec.Entity;
import io.featureingest.spec.Feature;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.SourceColumns;
import io.featureingest.spec.StoreUnavailableException;
import io.featureingest.spec.ValueType;
import io.featureingest.testing.TestSpark;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every {@link OfflineStore} keeps; each store's test class extends this and says
 * where a fresh table goes and how to open its store. The table: driver_id INT64 -> rating FLOAT,
 * trips INT32, event time {@code event_timestamp}, created {@code created}, partitioned by {@code
 * date}.
 *
 * <p>A case that needs a store these machines cannot reach (BigQuery, without credentials) is
 * overridden in that store's test without {@code @Test}, so it is neither run nor counted; the
 * store's live test covers it where credentials are given.
 */
abstract class OfflineStoreContract {
  static final StructType FRAME =
      StructType.fromDDL(
          "driver_id BIGINT, rating FLOAT, trips INT, "
              + TableFrame.EVENT_TS
              + " TIMESTAMP, "
              + TableFrame.CREATED_TS
              + " TIMESTAMP");

  @TempDir Path dir;

  /** The batch source of a fresh table for this test, with these columns. */
  abstract BatchSource source(String name, SourceColumns columns);

  /** The store under test for {@code table}. */
  abstract OfflineStore open(FeatureTable table);

  FeatureTable newTable(String name) {
    SourceColumns columns =
        new SourceColumns("event_timestamp", Optional.of("created"), Map.of(), Optional.of("date"));
    return new FeatureTable(
        name,
        List.of(Entity.of("driver_id", ValueType.INT64)),
        List.of(Feature.of("rating", ValueType.FLOAT), Feature.of("trips", ValueType.INT32)),
        Optional.empty(),
        Map.of(),
        source(name, columns),
        Optional.empty());
  }

  static SparkSession spark() {
    return TestSpark.get();
  }

  /** Valid rows in the TableFrame shape: one per driver, at that event time, created 2024-01-01. */
  static Dataset<Row> frame(long firstDriver, String... eventTimes) {
    Timestamp created = Timestamp.from(Instant.parse("2024-01-01T00:00:00Z"));
    List<Row> rows =
        java.util.stream.IntStream.range(0, eventTimes.length)
            .mapToObj(
                i ->
                    RowFactory.create(
                        firstDriver + i,
                        1.5f,
                        i,
                        Timestamp.from(Instant.parse(eventTimes[i])),
                        created))
            .toList();
    return spark().createDataFrame(rows, FRAME);
  }

  static List<Long> drivers(Dataset<Row> stored) {
    return stored.select("driver_id").orderBy("driver_id").collectAsList().stream()
        .map(r -> r.getLong(0))
        .toList();
  }

  static void commit(OfflineStore store, Dataset<Row> frame, String runId) {
    store.stage(frame, APPEND, runId).commit();
  }

  @Test
  void readingATableThatDoesNotExistSaysSo() {
    OfflineStore store = open(newTable("missing"));
    assertThat(store.exists(spark())).isFalse();
    assertThatThrownBy(() -> store.read(spark()))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("does not exist");
  }

  @Test
  void existsOnceCreatedAndCreateLeavesAnExistingTableAsItIs() {
    FeatureTable t = newTable("created");
    OfflineStore store = open(t);
    store.create(spark());
    assertThat(store.exists(spark())).isTrue();
    Dataset<Row> empty = store.read(spark());
    assertThat(empty.count()).isZero();
    assertThat(empty.columns())
        .contains("driver_id", "rating", "trips", "event_timestamp", "created", "date");
    store.checkTarget(spark()); // a created table is what the spec writes into

    commit(store, frame(1, "2019-01-01T01:00:00Z"), "run-1");
    store.create(spark());
    assertThat(drivers(store.read(spark()))).containsExactly(1L);
  }

  @Test
  void checkRefusesAConflictingTableWithExitThreeAndAcceptsItsOwnLayout() {
    FeatureTable t = newTable("conflict");
    OfflineStore store = open(t);
    store.checkSchema(StoredLayout.schema(t));
    StructType conflicting =
        StructType.fromDDL(
            "driver_id STRING, rating FLOAT, trips INT, event_timestamp TIMESTAMP,"
                + " created TIMESTAMP, date STRING");
    assertThatThrownBy(() -> store.checkSchema(conflicting))
        .isInstanceOfSatisfying(
            DataContractException.class, e -> assertThat(e.exitCode()).isEqualTo(3))
        .hasMessageContaining("table conflict: column 'driver_id' has type string in the existing ")
        .hasMessageContaining("expected bigint");
  }

  @Test
  void stagedRowsAreVisibleOnlyAfterTheCommitAndThenOnce() {
    OfflineStore store = open(newTable("staged"));
    StagedWrite first =
        store.stage(
            frame(1, "2019-01-01T01:00:00Z", "2019-01-02T01:00:00Z", "2019-01-02T02:00:00Z"),
            APPEND,
            "run-1");
    assertThat(store.exists(spark())).isFalse();
    first.rows().ifPresent(n -> assertThat(n).isEqualTo(3));
    first.commit();
    assertThat(drivers(store.read(spark()))).containsExactly(1L, 2L, 3L);

    StagedWrite second = store.stage(frame(4, "2019-01-03T01:00:00Z"), APPEND, "run-2");
    assertThat(drivers(store.read(spark()))).containsExactly(1L, 2L, 3L);
    second.commit();
    assertThat(drivers(store.read(spark()))).containsExactly(1L, 2L, 3L, 4L);
    store.checkTarget(spark());
  }

  @Test
  void aDirectAppendIsVisibleAtOnce() {
    OfflineStore store = open(newTable("direct"));
    assertThat(store.write(frame(1, "2019-01-01T01:00:00Z", "2019-01-02T01:00:00Z"), APPEND))
        .isEmpty(); // the caller counted the rows
    assertThat(drivers(store.read(spark()))).containsExactly(1L, 2L);
    store.checkTarget(spark());
  }

  @Test
  void anAbortedWriteLeavesNothingVisible() {
    OfflineStore store = open(newTable("aborted"));
    store.stage(frame(1, "2019-01-01T01:00:00Z"), APPEND, "run-1").abort();
    assertThat(store.exists(spark())).isFalse(); // not even an empty table

    commit(store, frame(1, "2019-01-01T01:00:00Z"), "run-2");
    store.stage(frame(2, "2019-01-02T01:00:00Z"), APPEND, "run-3").abort();
    assertThat(drivers(store.read(spark()))).containsExactly(1L);
  }

  @Test
  void aWindowHoldsEventTimesFromItsStartUpToButNotItsEnd() {
    OfflineStore store = open(newTable("window"));
    commit(
        store,
        frame(
            1,
            "2018-12-31T23:59:59.999999Z",
            "2019-01-01T00:00:00Z",
            "2019-01-01T23:59:59.999999Z",
            "2019-01-02T00:00:00Z"),
        "run-1");
    Dataset<Row> window =
        store.read(
            spark(), Instant.parse("2019-01-01T00:00:00Z"), Instant.parse("2019-01-02T00:00:00Z"));
    assertThat(drivers(window)).containsExactly(2L, 3L);
    assertPrunesDates(window);
    assertThatThrownBy(() -> store.read(spark(), Instant.EPOCH, Instant.EPOCH))
        .hasMessageContaining("must be before end");
  }

  /** The window's scan skips the date partitions outside it unread. */
  void assertPrunesDates(Dataset<Row> window) {
    assertThat(window.queryExecution().executedPlan().toString())
        .containsPattern("PartitionFilters: \\[[^\\]]*date");
  }

  @Test
  void aLoggedBatchAppendedTwiceIsStoredOnce() {
    OfflineStore store = open(newTable("logged"));
    Dataset<Row> batch0 = frame(1, "2019-01-01T01:00:00Z", "2019-01-02T01:00:00Z");
    store.appendLogged(batch0, "stream-a", 0);
    store.appendLogged(batch0, "stream-a", 0); // a retried batch
    store.appendLogged(frame(3, "2019-01-02T02:00:00Z"), "stream-a", 1);
    store.appendLogged(frame(4, "2019-01-02T03:00:00Z"), "stream-b", 0); // another stream
    assertThat(drivers(store.read(spark()))).containsExactly(1L, 2L, 3L, 4L);
  }

  @Test
  void commitMarksReadBackExactlyWhatWasCommittedBetweenThem() {
    OfflineStore store = open(newTable("marks"));
    commit(store, frame(1, "2019-01-01T01:00:00Z"), "run-1");
    Optional<String> first = store.commitMark(spark());
    commit(store, frame(2, "2019-01-01T02:00:00Z", "2019-01-03T02:00:00Z"), "run-2");
    Optional<String> second = store.commitMark(spark());
    commit(store, frame(4, "2019-01-01T04:00:00Z"), "run-3"); // after both marks
    Instant end = Instant.parse("2019-01-02T00:00:00Z");
    if (first.isEmpty()) {
      // A store without a usable history: late rows are taken by their created timestamp.
      assertThat(second).isEmpty();
      assertThatThrownBy(() -> store.readCommitted(spark(), "0", "1", Instant.EPOCH, end))
          .isInstanceOf(UnsupportedOperationException.class);
      return;
    }
    assertThat(drivers(store.readCommitted(spark(), first.get(), second.get(), Instant.EPOCH, end)))
        .containsExactly(2L); // not 1 (before), 3 (after the window), 4 (after the marks)
  }
}
