package io.featureingest.bench;

import static org.apache.spark.sql.functions.expr;

import io.featureingest.join.JoinOptions;
import io.featureingest.join.NaivePointInTimeJoin;
import io.featureingest.join.PointInTimeJoin;
import io.featureingest.join.TableRequest;
import io.featureingest.rows.TableFrame;
import io.featureingest.spec.Entity;
import io.featureingest.spec.Feature;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.FileFormat;
import io.featureingest.spec.FileSource;
import io.featureingest.spec.SourceColumns;
import io.featureingest.spec.ValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * {@code scripts/bench retrieve [--scale F] [--naive-timeout-factor K] [--no-naive-on-doubled]}: 1M
 * entity rows and three tables of 5M feature rows (times F), keys over 200k entities with a few
 * heavily skewed keys, times over 90 days. Times the sort-based join and the naive inequality join
 * + row_number on the same Parquet files in one session, then both again with every input doubled.
 * The naive join is cancelled after K times our join's time (default 6, at least 60 s) and then
 * reported as a lower bound, so the run ends in minutes even though the naive join's cost grows
 * with the square of a hot key's rows. {@code --no-naive-on-doubled} skips the naive join on the
 * doubled inputs (at full size it would run for half an hour only to be cancelled; the doubling
 * target needs our time).
 */
public final class RetrieveBench {
  private static final int KEYS = 200_000;
  private static final long DAY = 86_400L;
  private static final long START = 1_546_300_800L; // 2019-01-01T00:00:00Z

  private RetrieveBench() {}

  public static Map<String, Object> run(String[] args) throws Exception {
    double scale = 1.0;
    double timeoutFactor = 6.0;
    boolean naiveOnDoubled = true;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--scale" -> scale = Double.parseDouble(args[++i]);
        case "--naive-timeout-factor" -> timeoutFactor = Double.parseDouble(args[++i]);
        case "--no-naive-on-doubled" -> naiveOnDoubled = false;
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    SparkSession spark =
        SparkSession.builder()
            .master("local[*]")
            .appName("bench-retrieve")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.shuffle.partitions", "64")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.driver.host", "127.0.0.1")
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    String root = System.getProperty("featureingest.projectDir", ".") + "/target/bench/retrieve";

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("bench", "retrieve");
    out.put("scale", scale);
    out.put("cores", Runtime.getRuntime().availableProcessors());
    long entityRows = Math.round(1_000_000 * scale);
    long featureRows = Math.round(5_000_000 * scale);
    out.put("entity_rows", entityRows);
    out.put("feature_rows_per_table", featureRows);
    out.put("tables", 3);
    out.put("keys", KEYS);
    out.put("days", 90);
    out.put("hot_keys", "driver_id: 5 keys x 2% of rows; customer_id: 3 keys x 3% of rows");

    double[] base =
        measure(
            spark,
            root + "/" + entityRows + "-x1",
            entityRows,
            featureRows,
            timeoutFactor,
            out,
            "");
    double[] twice =
        measure(
            spark,
            root + "/" + entityRows + "-x2",
            2 * entityRows,
            2 * featureRows,
            naiveOnDoubled ? timeoutFactor : 0,
            out,
            "x2_");
    double ratio = twice[0] / base[0];
    out.put("doubling_ratio", round(ratio));
    out.put("target_speedup_5x_met", base[1] / base[0] >= 5);
    out.put("target_doubling_2_2x_met", ratio <= 2.2);
    spark.stop();
    return out;
  }

  /** Our time and the naive time (or its lower bound) for one size; figures go into out. */
  private static double[] measure(
      SparkSession spark,
      String dir,
      long entityRows,
      long featureRows,
      double timeoutFactor,
      Map<String, Object> out,
      String prefix)
      throws Exception {
    generate(spark, dir, entityRows, featureRows);
    Dataset<Row> entities = spark.read().parquet(dir + "/entities");
    List<TableRequest> requests = new ArrayList<>();
    for (FeatureTable t : tables()) {
      requests.add(TableRequest.all(t, spark.read().parquet(dir + "/" + t.name())));
    }
    double ours =
        seconds(
            () -> {
              noop(PointInTimeJoin.join(entities, requests, JoinOptions.defaults()));
              return null;
            });
    out.put(prefix + "ours_s", round(ours));
    System.err.println("retrieve bench: " + prefix + "ours_s=" + round(ours));
    if (timeoutFactor <= 0) { // the doubling target needs only our time; the naive join is skipped
      out.put(prefix + "naive_skipped", true);
      return new double[] {ours, Double.NaN};
    }
    double limit = Math.max(60, timeoutFactor * ours);
    double naive = naive(spark, entities, requests, limit);
    System.err.println(
        "retrieve bench: " + prefix + "naive_s=" + round(naive) + " (limit " + limit + ")");
    if (naive < 0) {
      out.put(prefix + "naive_s_at_least", round(limit));
      out.put(prefix + "naive_timed_out", true);
      out.put(prefix + "speedup_at_least", round(limit / ours));
      return new double[] {ours, limit};
    }
    out.put(prefix + "naive_s", round(naive));
    out.put(prefix + "speedup", round(naive / ours));
    return new double[] {ours, naive};
  }

  /** Seconds of the naive join, or -1 when it was cancelled after {@code limit} seconds. */
  private static double naive(
      SparkSession spark, Dataset<Row> entities, List<TableRequest> requests, double limit)
      throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    long t0 = System.nanoTime();
    Future<?> run =
        pool.submit(
            () -> {
              spark.sparkContext().setJobGroup("naive", "naive point-in-time join", true);
              noop(
                  NaivePointInTimeJoin.join(
                      entities, requests, JoinOptions.DEFAULT_TIMESTAMP_COLUMN));
            });
    try {
      run.get((long) (limit * 1000), TimeUnit.MILLISECONDS);
      return (System.nanoTime() - t0) / 1e9;
    } catch (TimeoutException e) {
      spark.sparkContext().cancelJobGroup("naive");
      try {
        run.get(120, TimeUnit.SECONDS);
      } catch (Exception cancelled) {
        // expected: the job group was cancelled
      }
      return -1;
    } finally {
      pool.shutdownNow();
    }
  }

  private static void noop(Dataset<Row> data) {
    data.write().format("noop").mode(SaveMode.Overwrite).save();
  }

  private static double seconds(Supplier<Void> work) {
    long t0 = System.nanoTime();
    work.get();
    return (System.nanoTime() - t0) / 1e9;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  static List<FeatureTable> tables() {
    return List.of(
        table("trips", "driver_id", Duration.ofDays(7)),
        table("ratings", "driver_id", Duration.ofDays(30)),
        table("profile", "customer_id", null));
  }

  private static FeatureTable table(String name, String entity, Duration maxAge) {
    return new FeatureTable(
        name,
        List.of(Entity.of(entity, ValueType.INT64)),
        List.of(Feature.of("f_double", ValueType.DOUBLE), Feature.of("f_long", ValueType.INT64)),
        Optional.ofNullable(maxAge),
        Map.of(),
        new FileSource(FileFormat.PARQUET, name, SourceColumns.of("ts", "created")),
        Optional.empty());
  }

  /** Parquet inputs under dir, generated once per size (deterministic: seeded). */
  private static void generate(SparkSession spark, String dir, long entityRows, long featureRows) {
    if (new java.io.File(dir + "/_complete").exists()) {
      return;
    }
    spark
        .range(entityRows)
        .select(
            key("driver", 5, 0.02).as("driver_id"),
            key("customer", 3, 0.03).as("customer_id"),
            time("entity_ts").as("event_timestamp"),
            expr("id % 2").as("label"))
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(dir + "/entities");
    for (FeatureTable t : tables()) {
      String entity = t.entityNames().get(0);
      boolean driver = entity.equals("driver_id");
      spark
          .range(featureRows)
          .select(
              key(t.name() + entity, driver ? 5 : 3, driver ? 0.02 : 0.03).as(entity),
              expr("rand(11) * 100").as("f_double"),
              expr("cast(rand(12) * 1000 as bigint)").as("f_long"),
              time(t.name() + "_ts").as(TableFrame.EVENT_TS))
          .withColumn(
              TableFrame.CREATED_TS,
              expr(
                  "case when rand(13) < 0.2 then null else "
                      + TableFrame.EVENT_TS
                      + " + make_interval(0, 0, 0, 0, cast(rand(14) * 48 as int)) end"))
          .write()
          .mode(SaveMode.Overwrite)
          .parquet(dir + "/" + t.name());
    }
    try {
      new java.io.File(dir + "/_complete").createNewFile();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A key over 200k entities where {@code hot} keys each take {@code share} of the rows. */
  private static org.apache.spark.sql.Column key(String salt, int hot, double share) {
    String u = "(pmod(xxhash64(id, '" + salt + "'), 1000000) / 1000000.0)";
    String v = "pmod(xxhash64(id, '" + salt + "k'), " + KEYS + ")";
    return expr(
        "cast(case when "
            + u
            + " < "
            + (hot * share)
            + " then pmod("
            + v
            + ", "
            + hot
            + ") else "
            + v
            + " end as bigint)");
  }

  /** Whole seconds over 90 days, so equal times occur. */
  private static org.apache.spark.sql.Column time(String salt) {
    return expr(
        "timestamp_seconds("
            + START
            + " + pmod(xxhash64(id, '"
            + salt
            + "'), "
            + (90 * DAY)
            + "))");
  }
}
