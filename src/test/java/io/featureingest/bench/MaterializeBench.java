package io.featureingest.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import io.featureingest.cli.Main;
import io.featureingest.testing.RedisServer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.sql.SparkSession;

/**
 * {@code scripts/bench materialize}: 1M rows over 500k STRING entities (two versions each), an
 * INT32 and a FLOAT feature, materialized into a fresh redis-server and into SQLite. Baselines in
 * the same run: {@code redis-benchmark -P 64 -t hset} on the same server and a plain Spark read of
 * the same Parquet. The Redis run is timed on a warm JVM, after a first (cold) run that is reported
 * as {@code redis_cold_wall_s}. Args: [rows] [entities].
 */
public final class MaterializeBench {
  /** Measured runs on the warm JVM; their medians are reported. */
  private static final int RUNS = Integer.getInteger("bench.runs", 5);

  private MaterializeBench() {}

  public static Map<String, Object> run(String[] args) throws Exception {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
    long entities = args.length > 1 ? Long.parseLong(args[1]) : 500_000;
    Path root = Path.of("target/bench/materialize").toAbsolutePath();
    deleteRecursively(root.toFile());
    Files.createDirectories(root);
    SparkSession spark =
        SparkSession.builder()
            .master("local[*]")
            .appName("materialize-bench")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.driver.host", "127.0.0.1")
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    WriteStage stage = new WriteStage();
    spark.sparkContext().addSparkListener(stage);

    String offline = root.resolve("offline/trips").toString();
    spark
        .range(rows)
        .select(
            concat(lit("driver_"), col("id").mod(entities).cast("string")).as("driver_id"),
            col("id").mod(1000).cast("int").as("trips"),
            expr("cast(rand(7) * 5 as float)").as("rating"),
            expr("timestamp_seconds(1735689600 + cast(id / "
                    + entities
                    + " as bigint) * 3600"
                    + " + id % 3600)")
                .as("datetime"),
            expr("timestamp_seconds(1735693200 + id % 7200)").as("created"))
        .repartition(2)
        .write()
        .parquet(offline);

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("rows", rows);
    out.put("entities", entities);
    out.put("cores", Runtime.getRuntime().availableProcessors());

    long t0 = System.nanoTime();
    spark.read().parquet(offline).write().format("noop").mode("overwrite").save();
    double sparkRead = seconds(t0);
    out.put("spark_read_s", round(sparkRead));

    try (RedisServer redis = RedisServer.start()) {
      double hsetBefore = redisBenchmark(redis.port());
      Path conf =
          config(
              root,
              "type = redis, host = \"127.0.0.1\", port = " + redis.port() + ", batch_size = 2000",
              offline);
      // The first materialize of a JVM pays for JIT compilation of its code paths (C2 threads
      // took about a core for the whole run): report it, then measure RUNS runs on the warm JVM,
      // each into an empty server, and report their medians (single runs moved by 20-30% on this
      // shared machine).
      t0 = System.nanoTime();
      materialize(conf);
      out.put("redis_cold_wall_s", round(seconds(t0)));
      List<Double> walls = new ArrayList<>();
      List<Double> stages = new ArrayList<>();
      long keys = 0;
      long memory = 0;
      long baseMemory = 0;
      for (int run = 0; run < RUNS; run++) {
        redis.cli(redis.port(), "FLUSHALL");
        redis.cli(redis.port(), "CONFIG", "RESETSTAT");
        baseMemory = redis.info("memory", "used_memory");
        stage.reset();
        long cpu0 = processCpuNanos();
        Map<String, Double> threads0 = ThreadCpu.snapshot();
        long redisCpu0 = redisCpuMillis(redis);
        t0 = System.nanoTime();
        materialize(conf);
        walls.add(seconds(t0));
        stages.add(stage.seconds(spark));
        if (run == RUNS - 1) { // the last run's detail
          out.put("redis_run_cpu_s", round((processCpuNanos() - cpu0) / 1e9));
          out.put("redis_run_cpu_by_thread", ThreadCpu.since(threads0));
          out.put("redis_server_cpu_s", round((redisCpuMillis(redis) - redisCpu0) / 1e3));
          out.put("redis_commands", commandStats(redis));
          out.put("redis_stages", stage.stages());
        }
        keys = Long.parseLong(redis.cli(redis.port(), "DBSIZE").trim());
        memory = redis.info("memory", "used_memory");
      }
      double hsetAfter = redisBenchmark(redis.port());
      double hset = Math.max(hsetBefore, hsetAfter);
      redis.cli(redis.port(), "FLUSHALL");
      double freshSet = redisBenchmarkFreshSet(redis.port(), entities);
      double wall = median(walls);
      double stageSeconds = median(stages);
      out.put("redis_keys", keys);
      out.put("redis_wall_s", round(wall));
      out.put("redis_wall_s_runs", walls.stream().map(MaterializeBench::round).toList());
      out.put("redis_rows_per_s", Math.round(rows / wall));
      out.put("redis_write_stage_s", round(stageSeconds));
      out.put("redis_write_stage_s_runs", stages.stream().map(MaterializeBench::round).toList());
      out.put("redis_write_stage_keys_per_s", Math.round(keys / stageSeconds));
      out.put("redis_benchmark_hset_per_s", Math.round(hset));
      out.put("redis_benchmark_hset_runs", List.of(Math.round(hsetBefore), Math.round(hsetAfter)));
      out.put("write_stage_fraction_of_hset", round(keys / stageSeconds / hset));
      out.put("redis_benchmark_fresh_set_per_s", Math.round(freshSet));
      out.put("fresh_set_fraction_of_hset", round(freshSet / hset));
      out.put("write_stage_fraction_of_fresh_set", round(keys / stageSeconds / freshSet));
      out.put("redis_used_memory_mb", round((memory - baseMemory) / 1e6));
      out.put("redis_used_memory_total_mb", round(memory / 1e6));
      out.put("wall_vs_spark_read", round(wall / sparkRead));
    }

    Path conf =
        config(
            root,
            "type = sqlite, path = \"" + root.resolve("online.db") + "\", batch_size = 5000",
            offline);
    stage.reset();
    long cpu0 = processCpuNanos();
    t0 = System.nanoTime();
    materialize(conf);
    double wall = seconds(t0);
    out.put("sqlite_wall_s", round(wall));
    out.put("sqlite_run_cpu_s", round((processCpuNanos() - cpu0) / 1e9));
    out.put("sqlite_rows_per_s", Math.round(rows / wall));
    out.put("sqlite_write_stage_s", round(stage.seconds(spark)));
    out.put("sqlite_stages", stage.stages());
    out.put("sqlite_write_stage_keys_per_s", Math.round(entities / stage.seconds(spark)));
    out.put("sqlite_file_mb", round(root.resolve("online.db").toFile().length() / 1e6));
    spark.stop();
    return out;
  }

  private static void materialize(Path conf) {
    int code =
        Main.run(
            "materialize",
            "trips",
            "--start",
            "2025-01-01",
            "--end",
            "2025-01-02",
            "--config",
            conf.toString(),
            "--summary",
            conf + ".summary.json");
    if (code != 0) {
      throw new IllegalStateException("materialize exited " + code);
    }
  }

  private static Path config(Path root, String store, String offline) throws Exception {
    Path conf = Files.createTempFile(root, "bench", ".conf");
    Files.writeString(
        conf,
        """
        registry { path = "%s/registry" }
        online_store { %s }
        feature_tables {
          trips {
            entities = [ { name = driver_id, type = STRING } ]
            features = [ { name = trips, type = INT32 }, { name = rating, type = FLOAT } ]
            batch_source {
              type = file, format = parquet, path = "%s"
              event_timestamp_column = datetime, created_timestamp_column = created
            }
          }
        }
        """
            .formatted(root, store, offline));
    return conf;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /**
   * The server's own rate for keys it does not have yet, what a first materialize writes: {@code
   * redis-benchmark -P 64 -r 100000000 -n KEYS SET fi:__rand_int__ VALUE} into an empty server, a
   * 28-byte value like ours. HSET -P 64 overwrites one field of one hash, which costs the server
   * about half of creating a key.
   */
  private static double redisBenchmarkFreshSet(int port, long keys) throws Exception {
    return redisBenchmark(
        port,
        "SET",
        "-P",
        "64",
        "-r",
        "100000000",
        "-n",
        "" + keys,
        "-q",
        "SET",
        "fi:__rand_int__",
        "0123456789012345678901234567");
  }

  /** redis-benchmark -P 64 -t hset -n 1000000 -q: requests per second. */
  private static double redisBenchmark(int port) throws Exception {
    return redisBenchmark(port, "HSET", "-P", "64", "-t", "hset", "-n", "1000000", "-q");
  }

  /** redis-benchmark's requests per second for the test whose line starts with {@code name}. */
  private static double redisBenchmark(int port, String name, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of("redis-benchmark", "-h", "127.0.0.1", "-p", "" + port));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    Matcher m = Pattern.compile(name + "[^\\r\\n]*?: ([0-9.]+) requests per second").matcher(text);
    double rate = -1;
    while (m.find()) {
      rate = Double.parseDouble(m.group(1));
    }
    if (rate < 0) {
      throw new IllegalStateException("cannot parse redis-benchmark output: " + text);
    }
    return rate;
  }

  /**
   * Wall time of the stages of the online write job (its last stage reads the shuffle and writes).
   */
  static final class WriteStage extends SparkListener {
    private final Map<Integer, Boolean> writeStages = new ConcurrentHashMap<>();
    private final Map<Integer, String> jobOfStage = new ConcurrentHashMap<>();

    /** Per stage of the run: "job description / stage id: seconds, tasks", in completion order. */
    private final List<String> stages = new java.util.concurrent.CopyOnWriteArrayList<>();

    private volatile long firstSubmit = Long.MAX_VALUE;
    private volatile long lastComplete = 0;

    void reset() {
      writeStages.clear();
      stages.clear();
      firstSubmit = Long.MAX_VALUE;
      lastComplete = 0;
    }

    List<String> stages() {
      return List.copyOf(stages);
    }

    /** After the job: the listener bus runs behind, so wait until it has seen every event. */
    double seconds(SparkSession spark) {
      try {
        spark.sparkContext().listenerBus().waitUntilEmpty();
      } catch (java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException(e);
      }
      return seconds();
    }

    double seconds() {
      return (lastComplete - firstSubmit) / 1000.0;
    }

    @Override
    public void onJobStart(SparkListenerJobStart job) {
      String description = job.properties().getProperty("spark.job.description", "");
      for (int i = 0; i < job.stageIds().size(); i++) {
        jobOfStage.put((Integer) job.stageIds().apply(i), description);
      }
      if (description.contains("online store")) {
        // the result stage only: the map side (read, partial dedup) is not the write. With AQE
        // the map stage runs as a job of its own under the same description, so pick the stages
        // that produce no shuffle output.
        var infos = job.stageInfos();
        for (int i = 0; i < infos.size(); i++) {
          var info = infos.apply(i);
          if (info.shuffleDepId().isEmpty()) {
            writeStages.put(info.stageId(), true);
          }
        }
      }
    }

    @Override
    public void onStageCompleted(SparkListenerStageCompleted done) {
      var info = done.stageInfo();
      if (info.submissionTime().isDefined() && info.completionTime().isDefined()) {
        stages.add(
            jobOfStage.getOrDefault(info.stageId(), "?")
                + " / stage "
                + info.stageId()
                + ": "
                + round(
                    ((Long) info.completionTime().get() - (Long) info.submissionTime().get())
                        / 1000.0)
                + " s, "
                + info.numTasks()
                + " tasks, "
                + round(info.taskMetrics().executorCpuTime() / 1e9)
                + " cpu s");
      }
      if (writeStages.containsKey(info.stageId()) && info.submissionTime().isDefined()) {
        firstSubmit = Math.min(firstSubmit, (Long) info.submissionTime().get());
        lastComplete = Math.max(lastComplete, (Long) info.completionTime().get());
      }
    }
  }

  /**
   * CPU time of this JVM (driver and local executors): with other processes sharing the cores it
   * moves much less than wall time, so it is the figure to compare between runs.
   */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Per command the run sent: "calls, usec_per_call" from INFO commandstats. */
  private static Map<String, String> commandStats(RedisServer redis) {
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m =
        Pattern.compile("cmdstat_(\\w+):calls=(\\d+),usec=\\d+,usec_per_call=([0-9.]+)")
            .matcher(redis.cli(redis.port(), "INFO", "commandstats"));
    while (m.find()) {
      if (!m.group(1).equals("info") && !m.group(1).equals("config")) {
        out.put(m.group(1), m.group(2) + " calls, " + m.group(3) + " us/call");
      }
    }
    return out;
  }

  /** used_cpu_user + used_cpu_sys of the redis-server, in milliseconds. */
  private static long redisCpuMillis(RedisServer redis) throws Exception {
    String info = redis.cli(redis.port(), "INFO", "cpu");
    double total = 0;
    for (String line : info.split("\\R")) {
      if (line.startsWith("used_cpu_user:") || line.startsWith("used_cpu_sys:")) {
        total += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    return Math.round(total * 1000);
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private static void deleteRecursively(File f) {
    File[] children = f.listFiles();
    if (children != null) {
      for (File c : children) {
        deleteRecursively(c);
      }
    }
    f.delete();
  }
}
