package io.featureingest.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.featureingest.rows.TableFrame;
import io.featureingest.spec.ValueType;
import io.featureingest.testing.TestSpark;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link OnlineStore} keeps (rules 4, 5, 6); each store's test class extends
 * this and says how to open it.
 */
public abstract class OnlineStoreContract {
  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  /** A fresh, empty store each call of the same test sees the same data. */
  protected abstract OnlineStore.Opener opener();

  /** Table names are unique per test so that tests sharing a server do not meet. */
  static int tables = 0;

  public static synchronized String tableName(String base) {
    return base + "_" + (++tables);
  }

  public static OnlineTable driverTable(String name, long maxAgeMillis) {
    return new OnlineTable(
        name,
        List.of("driver_id"),
        List.of(ValueType.INT64),
        List.of("rating", "trips", "label"),
        List.of(ValueType.FLOAT, ValueType.INT32, ValueType.STRING),
        maxAgeMillis);
  }

  public static OnlineRecord rec(
      long driver, Version v, Float rating, Integer trips, String label) {
    return new OnlineRecord(List.of(driver), v, java.util.Arrays.asList(rating, trips, label));
  }

  public static Version v(long eventSeconds, Long createdSeconds) {
    return Version.of(
        T0.plusSeconds(eventSeconds),
        createdSeconds == null ? null : T0.plusSeconds(createdSeconds));
  }

  protected Optional<OnlineRecord> readOne(OnlineStore store, OnlineTable t, long driver) {
    return store.read(t, List.of(List.of(driver))).get(0);
  }

  @Test
  void everyValueTypeRoundTrips() {
    List<String> names = new ArrayList<>();
    List<ValueType> types = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    Instant ts = Instant.parse("2024-02-03T04:05:06.123456Z");
    Object[][] cases = {
      {ValueType.BYTES, new byte[] {0, 1, (byte) 255}},
      {ValueType.STRING, "héllo"},
      {ValueType.INT32, -42},
      {ValueType.INT64, Long.MIN_VALUE},
      {ValueType.DOUBLE, 2.5e-300},
      {ValueType.FLOAT, -1.5f},
      {ValueType.BOOL, true},
      {ValueType.UNIX_TIMESTAMP, ts},
      {ValueType.STRING_LIST, java.util.Arrays.asList("a", null, "")},
      {ValueType.INT64_LIST, List.of(1L, -2L)},
      {ValueType.FLOAT_LIST, List.of()},
      {ValueType.BOOL_LIST, List.of(false, true)},
      {ValueType.UNIX_TIMESTAMP_LIST, List.of(ts)},
    };
    for (Object[] c : cases) {
      names.add("f_" + ((ValueType) c[0]).name().toLowerCase());
      types.add((ValueType) c[0]);
      values.add(c[1]);
    }
    OnlineTable t =
        new OnlineTable(
            tableName("types"),
            List.of("name", "n"),
            List.of(ValueType.STRING, ValueType.INT32),
            names,
            types,
            0);
    try (OnlineStore store = opener().open()) {
      List<Object> key = List.of("x:y", 7);
      assertThat(store.write(t, List.of(new OnlineRecord(key, v(1, 2L), values)))).isEqualTo(1);
      OnlineRecord back = store.read(t, List.of(key)).get(0).orElseThrow();
      assertThat(back.version()).isEqualTo(v(1, 2L));
      assertThat(back.values()).usingRecursiveComparison().isEqualTo(values);
      assertThat(store.read(t, List.of(List.<Object>of("x:y", 8))).get(0)).isEmpty();
    }
  }

  @Test
  void newerWinsEqualIsNoOpNullClears() {
    OnlineTable t = driverTable(tableName("cas"), 0);
    try (OnlineStore store = opener().open()) {
      assertThat(store.write(t, List.of(rec(1, v(10, 5L), 1f, 1, "a")))).isEqualTo(1);
      // older event, equal version, and same event with a missing created: all no-ops
      assertThat(store.write(t, List.of(rec(1, v(9, 99L), 2f, 2, "b")))).isZero();
      assertThat(store.write(t, List.of(rec(1, v(10, 5L), 3f, 3, "c")))).isZero();
      assertThat(store.write(t, List.of(rec(1, v(10, null), 4f, 4, "d")))).isZero();
      assertThat(readOne(store, t, 1).orElseThrow().values()).containsExactly(1f, 1, "a");
      // same event, later created: lands; its null feature clears the stored value
      assertThat(store.write(t, List.of(rec(1, v(10, 6L), null, 5, null)))).isEqualTo(1);
      OnlineRecord now = readOne(store, t, 1).orElseThrow();
      assertThat(now.version()).isEqualTo(v(10, 6L));
      assertThat(now.values()).containsExactly(null, 5, null);
      // a missing created sorts lowest, but a later event still wins
      assertThat(store.write(t, List.of(rec(1, v(11, null), 7f, 7, "e")))).isEqualTo(1);
      assertThat(readOne(store, t, 1).orElseThrow().values()).containsExactly(7f, 7, "e");
    }
  }

  @Test
  void maxAgeHidesOldValuesOnRead() {
    OnlineTable t = driverTable(tableName("age"), Duration.ofHours(1).toMillis());
    Instant now = Instant.now();
    try (OnlineStore store = opener().open()) {
      store.write(
          t,
          List.of(
              rec(1, Version.of(now.minusSeconds(600), null), 1f, 1, "fresh"),
              rec(2, Version.of(now.minusSeconds(7200), null), 2f, 2, "stale")));
      List<OnlineFeatures.Row> rows =
          OnlineFeatures.get(store, t, List.of(List.of(1L), List.of(2L), List.of(3L)), null, now);
      assertThat(rows.get(0).features()).containsEntry("label", "fresh");
      assertThat(rows.get(0).eventTimestamp())
          .contains(Version.of(now.minusSeconds(600), null).eventTimestamp());
      assertThat(rows.get(1).found()).isFalse();
      assertThat(rows.get(1).features()).containsEntry("label", null);
      assertThat(rows.get(2).found()).isFalse();
      List<OnlineFeatures.Row> some =
          OnlineFeatures.get(store, t, List.of(List.of(1L)), List.of("trips"), now);
      assertThat(some.get(0).features()).containsOnlyKeys("trips").containsEntry("trips", 1);
    }
  }

  /**
   * Rule 4 under contention: shuffled versions of the same keys written from several threads at
   * once, each with its own connection; the final state must be the greatest version per key.
   */
  @Test
  void concurrentShuffledWritesEndAtTheMaximumVersion() throws Exception {
    OnlineTable t = driverTable(tableName("race"), 0);
    int keys = 300;
    int versions = 8;
    Random random = new Random(42);
    List<OnlineRecord> all = new ArrayList<>();
    Map<Long, Version> max = new HashMap<>();
    for (long k = 0; k < keys; k++) {
      for (int i = 0; i < versions; i++) {
        // few distinct events so that many writes tie on event and decide on created
        Version ver =
            v(random.nextInt(3), random.nextInt(4) == 0 ? null : (long) random.nextInt(5));
        all.add(
            rec(k, ver, (float) ver.eventMicros(), (int) (ver.createdMicros() % 1000), "" + ver));
        max.merge(k, ver, (a, b) -> a.compareTo(b) >= 0 ? a : b);
      }
    }
    Collections.shuffle(all, random);
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int th = 0; th < threads; th++) {
        List<OnlineRecord> mine =
            all.subList(th * all.size() / threads, (th + 1) * all.size() / threads);
        done.add(
            pool.submit(
                () -> {
                  try (OnlineStore store = opener().open()) {
                    for (int i = 0; i < mine.size(); i += 37) {
                      store.write(t, mine.subList(i, Math.min(mine.size(), i + 37)));
                    }
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertFinalStateIsMax(t, max);
  }

  /** The same race through Spark: four tasks write overlapping shuffled versions at once. */
  @Test
  void concurrentSparkTasksEndAtTheMaximumVersion() {
    OnlineTable t = driverTable(tableName("tasks"), 0);
    Random random = new Random(7);
    List<Row> rows = new ArrayList<>();
    Map<Long, Version> max = new HashMap<>();
    for (long k = 0; k < 400; k++) {
      for (int i = 0; i < 5; i++) {
        Instant event = T0.plusSeconds(random.nextInt(3));
        Instant created = random.nextInt(5) == 0 ? null : T0.plusSeconds(random.nextInt(4));
        Version ver = Version.of(event, created);
        rows.add(
            RowFactory.create(
                k,
                (float) ver.eventMicros(),
                (int) (ver.createdMicros() % 1000),
                "" + ver,
                java.sql.Timestamp.from(event),
                created == null ? null : java.sql.Timestamp.from(created)));
        max.merge(k, ver, (a, b) -> a.compareTo(b) >= 0 ? a : b);
      }
    }
    Collections.shuffle(rows, random);
    StructType schema =
        StructType.fromDDL("driver_id BIGINT, rating FLOAT, trips INT, label STRING")
            .add(TableFrame.EVENT_TS, DataTypes.TimestampType)
            .add(TableFrame.CREATED_TS, DataTypes.TimestampType);
    Dataset<Row> frame = TestSpark.get().createDataFrame(rows, schema).repartition(4);
    OnlineWriter.Counts counts = OnlineWriter.write(frame, t, opener(), 50);
    assertThat(counts.written() + counts.notNewer()).isEqualTo(rows.size());
    assertThat(counts.written()).isGreaterThanOrEqualTo(400);
    assertFinalStateIsMax(t, max);
    // a re-run changes nothing: every row is now equal or older
    assertThat(OnlineWriter.write(frame, t, opener(), 50).written()).isZero();
  }

  private void assertFinalStateIsMax(OnlineTable t, Map<Long, Version> max) {
    List<List<Object>> keys = new ArrayList<>();
    max.keySet().stream().sorted().forEach(k -> keys.add(List.of(k)));
    try (OnlineStore store = opener().open()) {
      List<Optional<OnlineRecord>> stored = store.read(t, keys);
      for (int i = 0; i < keys.size(); i++) {
        Version want = max.get((Long) keys.get(i).get(0));
        OnlineRecord got = stored.get(i).orElseThrow();
        assertThat(got.version()).as("key %s", keys.get(i)).isEqualTo(want);
        assertThat(got.values().get(2)).as("value written with the version").isEqualTo("" + want);
      }
    }
  }
}
