package io.featureingest.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.featureingest.spec.ValueType;
import io.featureingest.testing.CliRun;
import io.featureingest.testing.RedisServer;
import io.featureingest.testing.TestSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Fault drill: the redis-server crashes (SIGKILL) and comes back on the same port in the middle of
 * a materialize. The server runs as in production, with an append-only file fsynced before each
 * reply, so what it acknowledged before the crash survives; the batch that was in flight fails with
 * a connection error, and the store's retry (online_store.max_attempts, backoff 100 ms doubling)
 * sends it again once the server is back. The drill asserts that the job succeeds on the retry path
 * (no re-run) and that the store ends with exactly one value per key, each the newest version:
 * nothing lost, nothing doubled, no older version resurrected.
 */
class StoreRestartIT {
  static final int KEYS = 30_000;
  static final StructType SOURCE =
      new StructType()
          .add("driver_id", DataTypes.LongType)
          .add("rating", DataTypes.DoubleType)
          .add("trips", DataTypes.IntegerType)
          .add("datetime", DataTypes.TimestampType)
          .add("created", DataTypes.TimestampType);
  static final OnlineTable TABLE =
      new OnlineTable(
          "drivers",
          List.of("driver_id"),
          List.of(ValueType.INT64),
          List.of("rating", "trips"),
          List.of(ValueType.FLOAT, ValueType.INT32),
          Duration.ofDays(2).toMillis());

  @TempDir Path dir;
  RedisServer redis;

  @AfterEach
  void stopRedis() {
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void aStoreCrashInTheMiddleOfAWriteIsRetriedAndTheStoreEndsExact() throws Exception {
    // Recent events: Redis expires a value at event time + max_age (2d).
    Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(6));
    writeSource(base);
    redis = RedisServer.startPersistent();
    Path config = dir.resolve("repo.conf");
    Files.writeString(
        config,
        """
        registry { path = "%1$s/registry" }
        # Tiny batches so that the write lasts long enough to crash the server under it; enough
        # attempts that the backoff (0.1 + 0.2 + 0.4 + ... s) outlasts a restart by far.
        online_store {
          type = redis, host = "127.0.0.1", port = %2$d
          batch_size = 5, max_attempts = 8, timeout_ms = 2000
        }
        feature_tables {
          drivers {
            entities = [ { name = driver_id, type = INT64 } ]
            features = [ { name = rating, type = FLOAT }, { name = trips, type = INT32 } ]
            max_age = 2d
            batch_source {
              type = file, format = parquet, path = "%1$s/offline/drivers"
              event_timestamp_column = datetime
              created_timestamp_column = created
            }
          }
        }
        """
            .formatted(dir, redis.port()));

    CompletableFuture<CliRun> job =
        CompletableFuture.supplyAsync(
            () ->
                CliRun.of(
                    "materialize",
                    "drivers",
                    "--config",
                    config.toString(),
                    "--start",
                    base.minus(Duration.ofHours(1)).toString(),
                    "--end",
                    base.plus(Duration.ofHours(3)).toString()));
    long before;
    try (Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
      before = awaitKeys(jedis, job);
    }
    redis.restart();
    long afterRestart;
    try (Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
      afterRestart = jedis.dbSize();
    }

    CliRun run = job.get(3, TimeUnit.MINUTES);
    System.out.printf(
        "StoreRestartIT: %d keys before the crash, %d after the restart; summary %s%n",
        before, afterRestart, run.summaryLine());
    assertThat(run.exitCode()).as(run.err()).isZero();
    // The crash hit the write: some keys were in, not all, and the append-only file kept them.
    assertThat(before).isBetween(1L, KEYS - 1L);
    assertThat(afterRestart).isGreaterThanOrEqualTo(before).isLessThan(KEYS);
    // Every key landed once: as written, or as "not newer" when a batch that was applied before
    // the crash (its reply lost) was sent again.
    assertThat(counter(run, "rows_written") + counter(run, "rows_not_newer")).isEqualTo(KEYS);
    assertThat(counter(run, "rows_written")).isGreaterThanOrEqualTo(KEYS - afterRestart);
    assertExactState(base);
  }

  /** Waits until the job has written a first key (the write is under way) and returns the count. */
  private static long awaitKeys(Jedis jedis, CompletableFuture<CliRun> job) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < deadline) {
      long n = jedis.dbSize();
      if (n > 0) {
        return n;
      }
      if (job.isDone()) {
        throw new AssertionError("materialize ended before writing: " + job.get().err());
      }
      Thread.sleep(5);
    }
    throw new AssertionError("materialize wrote nothing in 3 minutes");
  }

  /** Two versions per key; the newer one (one hour later) has rating = id + 0.5, trips = id. */
  private void writeSource(Instant base) {
    List<Row> rows = new ArrayList<>(2 * KEYS);
    for (int i = 0; i < KEYS; i++) {
      Instant older = base.plusSeconds(i % 3600);
      rows.add(row(i, -1.0, -1, older));
      rows.add(row(i, i + 0.5, i, older.plus(Duration.ofHours(1))));
    }
    TestSpark.get()
        .createDataFrame(rows, SOURCE)
        .repartition(4)
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(dir.resolve("offline/drivers").toString());
  }

  private static Row row(long id, double rating, int trips, Instant event) {
    return RowFactory.create(id, rating, trips, Timestamp.from(event), Timestamp.from(event));
  }

  private void assertExactState(Instant base) {
    OnlineCodec codec = new OnlineCodec(TABLE);
    try (Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
      assertThat(jedis.dbSize()).as("keys in redis").isEqualTo(KEYS);
      for (int from = 0; from < KEYS; from += 1000) {
        byte[][] keys = new byte[1000][];
        for (int j = 0; j < keys.length; j++) {
          keys[j] = ("drivers:" + (from + j)).getBytes(StandardCharsets.UTF_8);
        }
        List<byte[]> values = jedis.mget(keys);
        for (int j = 0; j < keys.length; j++) {
          int id = from + j;
          byte[] v = values.get(j);
          assertThat(v).as("value of driver %d", id).isNotNull();
          Instant newest = base.plusSeconds(id % 3600).plus(Duration.ofHours(1));
          assertThat(OnlineCodec.version(v))
              .as("version of driver %d", id)
              .isEqualTo(Version.of(newest, newest));
          assertThat(codec.decode(v)).as("values of driver %d", id).containsExactly(id + 0.5f, id);
        }
      }
    }
  }

  static long counter(CliRun run, String name) {
    Matcher m = Pattern.compile("\"" + name + "\": (\\d+)").matcher(run.summaryLine());
    assertThat(m.find()).as(name + " in " + run.summaryLine()).isTrue();
    return Long.parseLong(m.group(1));
  }
}
