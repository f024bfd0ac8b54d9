package io.featureingest.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.featureingest.online.OnlineCodec;
import io.featureingest.online.OnlineTable;
import io.featureingest.online.Version;
import io.featureingest.online.redis.RedisOnlineStore;
import io.featureingest.spec.ValueType;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.StructType;
import redis.clients.jedis.Jedis;

/**
 * The data of the fault drills: table {@code drivers} (INT64 driver_id; FLOAT rating, INT32 trips;
 * max_age 2d), {@code keys} drivers with two versions each, and the exact Redis state a correct
 * materialize leaves: one value per driver, the newer version (one hour after the older one),
 * rating = id + 0.5, trips = id.
 */
public record TwoVersionDrivers(int keys, Instant base) {
  static final StructType SOURCE =
      StructType.fromDDL(
          "driver_id BIGINT, rating DOUBLE, trips INT, datetime TIMESTAMP, created TIMESTAMP");
  static final OnlineTable TABLE =
      new OnlineTable(
          "drivers",
          List.of("driver_id"),
          List.of(ValueType.INT64),
          List.of("rating", "trips"),
          List.of(ValueType.FLOAT, ValueType.INT32),
          Duration.ofDays(2).toMillis());

  /** The table's HOCON, source under {@code dir/offline/drivers}. */
  public static String tableConfig(Path dir) {
    return """
        feature_tables {
          drivers {
            entities = [ { name = driver_id, type = INT64 } ]
            features = [ { name = rating, type = FLOAT }, { name = trips, type = INT32 } ]
            max_age = 2d
            batch_source {
              type = file, format = parquet, path = "%s/offline/drivers"
              event_timestamp_column = datetime
              created_timestamp_column = created
            }
          }
        }
        """
        .formatted(dir);
  }

  /** --start and --end covering every row. */
  public String[] window() {
    return new String[] {
      "--start", base.minus(Duration.ofHours(1)).toString(),
      "--end", base.plus(Duration.ofHours(3)).toString()
    };
  }

  /** Writes the source as {@code files} Parquet files (older and newer rows shuffled together). */
  public void write(Path dir, int files) {
    List<Row> rows = new ArrayList<>(2 * keys);
    for (int i = 0; i < keys; i++) {
      Instant older = base.plusSeconds(i % 3600);
      rows.add(row(i, -1.0, -1, older));
      rows.add(row(i, i + 0.5, i, older.plus(Duration.ofHours(1))));
    }
    TestSpark.get()
        .createDataFrame(rows, SOURCE)
        .repartition(files)
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(dir.resolve("offline/drivers").toString());
  }

  private static Row row(long id, double rating, int trips, Instant event) {
    return RowFactory.create(id, rating, trips, Timestamp.from(event), Timestamp.from(event));
  }

  /** Exactly {@code keys} keys in the server, each holding the newest version of its driver. */
  public void assertExactState(int port) {
    OnlineCodec codec = new OnlineCodec(TABLE);
    try (Jedis jedis = new Jedis("127.0.0.1", port)) {
      assertThat(jedis.dbSize()).as("keys in redis").isEqualTo(keys);
      for (int from = 0; from < keys; from += 1000) {
        byte[][] names = new byte[Math.min(1000, keys - from)][];
        for (int j = 0; j < names.length; j++) {
          names[j] = RedisOnlineStore.redisKey("", TABLE, List.of((long) (from + j)));
        }
        List<byte[]> values = jedis.mget(names);
        for (int j = 0; j < names.length; j++) {
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

  /** A counter of a run's summary line, e.g. rows_written. */
  public static long counter(String summary, String name) {
    Matcher m = Pattern.compile("\"" + name + "\": (\\d+)").matcher(summary);
    assertThat(m.find()).as(name + " in " + summary).isTrue();
    return Long.parseLong(m.group(1));
  }

  /** Polls DBSIZE until the first key is in (the write is under way) and returns the count. */
  public static long awaitFirstKey(int port, java.util.concurrent.Future<?> job) throws Exception {
    return awaitKeys(port, 1, job);
  }

  /** Polls DBSIZE until at least {@code atLeast} keys are in and returns the count. */
  public static long awaitKeys(int port, long atLeast, java.util.concurrent.Future<?> job)
      throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(3);
    try (Jedis jedis = new Jedis("127.0.0.1", port)) {
      while (System.nanoTime() < deadline) {
        try {
          if (jedis.dbSize() >= atLeast) {
            return jedis.dbSize();
          }
        } catch (redis.clients.jedis.exceptions.JedisDataException e) {
          if (!String.valueOf(e.getMessage()).startsWith("LOADING")) {
            throw e;
          }
        }
        if (job.isDone()) {
          throw new AssertionError("the job ended before writing anything: " + job.get());
        }
        Thread.sleep(5);
      }
    }
    throw new AssertionError("the job wrote nothing in 3 minutes");
  }
}
