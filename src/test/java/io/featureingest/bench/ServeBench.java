package io.featureingest.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.featureingest.cli.Main;
import io.featureingest.testing.RedisServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;

/**
 * {@code scripts/bench serve}: 500k INT64 keys (three features) materialized into a fresh
 * redis-server and into SQLite, then {@code scripts/feature-ingest serve} (the plain JVM, as users
 * run it) driven by wrk at a fixed rate with 1-key and 100-key requests. Baseline in the same run:
 * {@code redis-benchmark -t get} on the same server at the same concurrency. Args: [keys] [rate]
 * [seconds] [connections].
 */
public final class ServeBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ServeBench() {}

  public static Map<String, Object> run(String[] args) throws Exception {
    long keys = args.length > 0 ? Long.parseLong(args[0]) : 500_000;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    int connections = args.length > 3 ? Integer.parseInt(args[3]) : 16;
    Path project = Path.of(System.getProperty("featureingest.projectDir", ".")).toAbsolutePath();
    Path root = project.resolve("target/bench/serve");
    deleteRecursively(root.toFile());
    Files.createDirectories(root);
    String offline = root.resolve("offline/serve_bench").toString();
    Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
    writeOffline(offline, keys, end);

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("keys", keys);
    out.put("rate_per_s", rate);
    out.put("seconds", seconds);
    out.put("connections", connections);
    out.put("cores", Runtime.getRuntime().availableProcessors());
    out.put("load_average_at_start", loadAverage());
    try (RedisServer redis = RedisServer.start()) {
      Path redisConf =
          config(root, "redis", "type = redis, host = \"127.0.0.1\", port = " + redis.port());
      Path sqliteConf =
          config(root, "sqlite", "type = sqlite, path = \"" + root.resolve("online.db") + "\"");
      materialize(redisConf, end);
      materialize(sqliteConf, end);
      SparkSession.active().stop(); // the server gets the cores from here on
      out.put("redis_keys", Long.parseLong(redis.cli(redis.port(), "DBSIZE").trim()));

      Map<String, Object> baseline = redisBenchmark(redis.port(), connections, keys);
      out.put("redis", drive(project, redisConf, keys, rate, seconds, connections));
      out.put("redis_benchmark_get", baseline);
      out.put("sqlite", drive(project, sqliteConf, keys, rate, seconds, connections));
    }
    out.put("load_average_at_end", loadAverage());
    return out;
  }

  private static void writeOffline(String offline, long keys, Instant end) {
    SparkSession spark =
        SparkSession.builder()
            .master("local[*]")
            .appName("serve-bench")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.driver.host", "127.0.0.1")
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    long eventSeconds = end.minus(30, ChronoUnit.MINUTES).getEpochSecond();
    spark
        .range(keys)
        .select(
            col("id").as("driver_id"),
            expr("cast(rand(7) * 20 as float)").as("average_daily_rides"),
            expr("cast(rand(8) * 5 as float)").as("driver_rating"),
            col("id").mod(100).as("maximum_daily_rides"),
            expr("timestamp_seconds(" + eventSeconds + " - id % 600)").as("datetime"))
        .repartition(2)
        .write()
        .parquet(offline);
  }

  private static Path config(Path root, String name, String store) throws Exception {
    Path conf = root.resolve(name + ".conf");
    Files.writeString(
        conf,
        """
        registry { path = "%s/registry-%s" }
        online_store { %s }
        feature_tables {
          serve_bench {
            entities = [ { name = driver_id, type = INT64 } ]
            features = [ { name = average_daily_rides, type = FLOAT },
              { name = driver_rating, type = FLOAT }, { name = maximum_daily_rides, type = INT64 } ]
            max_age = 30d
            batch_source {
              type = file, format = parquet, path = "%s/offline/serve_bench"
              event_timestamp_column = datetime
            }
          }
        }
        """
            .formatted(root, name, store, root));
    return conf;
  }

  private static void materialize(Path conf, Instant end) {
    int code =
        Main.run(
            "materialize",
            "serve_bench",
            "--start",
            end.minus(1, ChronoUnit.DAYS).toString(),
            "--end",
            end.toString(),
            "--config",
            conf.toString(),
            "--summary",
            conf + ".summary.json");
    if (code != 0) {
      throw new IllegalStateException("materialize exited " + code);
    }
  }

  /** Starts the server in its own plain JVM, warms it, then runs the 1-key and 100-key loads. */
  private static Map<String, Object> drive(
      Path project, Path conf, long keys, int rate, int seconds, int connections) throws Exception {
    int port = RedisServer.freePort(false);
    Process server =
        new ProcessBuilder(
                project.resolve("scripts/feature-ingest").toString(),
                "serve",
                "--port",
                String.valueOf(port),
                "--config",
                conf.toString())
            .redirectError(conf.resolveSibling("serve-" + port + ".log").toFile())
            .start();
    try {
      BufferedReader ready =
          new BufferedReader(
              new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      String line = ready.readLine(); // the server's one line once it listens
      if (line == null || !line.contains("\"serving\"")) {
        throw new IllegalStateException("serve did not start: " + line);
      }
      String url = "http://127.0.0.1:" + port;
      Map<String, Object> figures = new LinkedHashMap<>();
      // JIT warm-up at full speed, as a long-running server would be after its first minute.
      wrk(project, url, 100, keys, 0, 10, connections);
      wrk(project, url, 1, keys, 0, 10, connections);
      figures.put("max_1_key", wrk(project, url, 1, keys, 0, 10, connections));
      figures.put("max_100_keys", wrk(project, url, 100, keys, 0, 10, connections));
      for (int keysPerRequest : new int[] {1, 100}) {
        double delay = pacedDelay(project, url, keysPerRequest, keys, rate, connections);
        Map<String, Object> run =
            wrk(project, url, keysPerRequest, keys, delay, seconds, connections);
        run.put("delay_ms", Math.round(delay * 1000) / 1000.0);
        figures.put("at_rate_" + keysPerRequest + (keysPerRequest == 1 ? "_key" : "_keys"), run);
      }
      figures.put("server_cpu_s", processCpuSeconds(server.pid()));
      return figures;
    } finally {
      server.destroy(); // SIGTERM: the server stops gracefully
      if (!server.waitFor(15, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  /**
   * The connection pause that gives {@code rate}: C / rate minus the time a request takes, which
   * three short pilot runs measure (wrk has no fixed-rate mode; wrk2 is not in Debian). The run
   * reports the rate it reached: on a loaded machine it drifts from the one asked.
   */
  private static double pacedDelay(
      Path project, String url, int keysPerRequest, long keys, int rate, int connections)
      throws Exception {
    double cycleMs = connections * 1000.0 / rate;
    double delay = Math.max(0, cycleMs - 0.5);
    for (int pilot = 0; pilot < 3; pilot++) {
      Map<String, Object> r = wrk(project, url, keysPerRequest, keys, delay, 5, connections);
      double achieved = ((Number) r.get("requests_per_s")).doubleValue();
      double overheadMs = connections * 1000.0 / achieved - delay;
      delay = Math.max(0, cycleMs - overheadMs);
    }
    return delay;
  }

  private static Map<String, Object> wrk(
      Path project,
      String url,
      int keysPerRequest,
      long keys,
      double delayMs,
      int seconds,
      int connections)
      throws Exception {
    String script = project.resolve("src/test/resources/bench/get-online-features.lua").toString();
    List<String> cmd =
        List.of(
            "wrk",
            "-t1",
            "-c" + connections,
            "-d" + seconds + "s",
            "--timeout",
            "5s",
            "-s",
            script,
            url,
            "--",
            String.valueOf(keysPerRequest),
            String.valueOf(keys),
            String.valueOf(delayMs));
    String output = run(cmd);
    String json =
        output
            .lines()
            .filter(l -> l.startsWith("{\"requests\""))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no figures from wrk: " + output));
    JsonNode r = JSON.readTree(json);
    Map<String, Object> out = new LinkedHashMap<>();
    double duration = r.get("duration_us").asDouble() / 1e6;
    out.put("requests", r.get("requests").asLong());
    out.put("requests_per_s", Math.round(r.get("requests").asLong() / duration));
    out.put("errors", r.get("socket_errors").asLong() + r.get("non_2xx").asLong());
    for (String p : new String[] {"mean", "p50", "p90", "p99", "p999", "max"}) {
      out.put(p + "_ms", Math.round(r.get(p + "_us").asDouble()) / 1000.0);
    }
    return out;
  }

  /** redis-benchmark GET of random keys at the same concurrency, closed loop (its only mode). */
  private static Map<String, Object> redisBenchmark(int port, int connections, long keys)
      throws Exception {
    String csv =
        run(
            List.of(
                "redis-benchmark",
                "-h",
                "127.0.0.1",
                "-p",
                String.valueOf(port),
                "-t",
                "get",
                "-c",
                String.valueOf(connections),
                "-n",
                "200000",
                "-r",
                String.valueOf(keys),
                "--csv"));
    // "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms",
    // "p99_latency_ms","max_latency_ms"
    String[] cells =
        csv.lines().filter(l -> l.startsWith("\"GET\"")).findFirst().orElseThrow().split(",");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("requests_per_s", Math.round(number(cells[1])));
    out.put("p50_ms", number(cells[4]));
    out.put("p99_ms", number(cells[6]));
    out.put("max_ms", number(cells[7]));
    return out;
  }

  private static double number(String cell) {
    return Double.parseDouble(cell.replace("\"", ""));
  }

  private static String run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(cmd.get(0) + " failed: " + out);
    }
    return out;
  }

  private static double processCpuSeconds(long pid) throws Exception {
    String[] stat = Files.readString(Path.of("/proc/" + pid + "/stat")).split(" ");
    long ticks = Long.parseLong(stat[13]) + Long.parseLong(stat[14]);
    return Math.round(ticks / 100.0 * 100) / 100.0; // USER_HZ is 100 on Linux
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

  private static String loadAverage() throws Exception {
    File f = new File("/proc/loadavg");
    return f.exists() ? Files.readString(f.toPath()).trim() : "";
  }
}
