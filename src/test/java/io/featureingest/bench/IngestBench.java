package io.featureingest.bench;

import static org.apache.spark.sql.functions.expr;

import io.featureingest.ingest.IngestOptions;
import io.featureingest.ingest.IngestResult;
import io.featureingest.ingest.Ingestion;
import io.featureingest.job.OfflineStores;
import io.featureingest.spec.Entity;
import io.featureingest.spec.Feature;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.FileFormat;
import io.featureingest.spec.FileSource;
import io.featureingest.spec.SourceColumns;
import io.featureingest.spec.ValueType;
import java.io.File;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.SparkSession;

/**
 * {@code scripts/bench ingest [--rows N] [--rounds R]}: N rows (default 10M) of an INT64 entity,
 * five features and event times over 30 days as Parquet; then, in the same run, R rounds (default
 * 2) of a plain Spark read+write of that data (the baseline), {@code ingest} into a fresh Parquet
 * target and into a fresh Delta target. Each figure is the fastest of its rounds (machines are
 * shared, and later runs in a JVM are warmer). A warm-up of every code path runs first; {@code
 * cpu_ms} gives the JVM's CPU time per phase and round.
 */
public final class IngestBench {
  private IngestBench() {}

  public static Map<String, Object> run(String[] args) throws Exception {
    long rows = 10_000_000L;
    int rounds = 2;
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals("--rows")) {
        rows = Long.parseLong(args[i + 1].replace("_", ""));
      } else if (args[i].equals("--rounds")) {
        rounds = Integer.parseInt(args[i + 1]);
      }
    }
    File root =
        new File(System.getProperty("featureingest.projectDir", "."), "target/bench/ingest");
    FileUtils.deleteQuietly(root);
    SparkSession spark =
        SparkSession.builder()
            .master("local[*]")
            .appName("bench-ingest")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
            .config(
                "spark.sql.catalog.spark_catalog",
                "org.apache.spark.sql.delta.catalog.DeltaCatalog")
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    try {
      // A small warm-up of every code path first (copy, Parquet and Delta ingest), so that JIT
      // compilation and class loading are not measured.
      String warm = new File(root, "warm").getPath();
      generate(spark, Math.max(rows / 50, 1000), warm);
      copy(spark, warm, new File(root, "warm-copy").getPath());
      ingest(
          spark,
          table(FileFormat.PARQUET, new File(root, "warm-parquet")),
          warm,
          new LinkedHashMap<>());
      ingest(
          spark,
          table(FileFormat.DELTA, new File(root, "warm-delta")),
          warm,
          new LinkedHashMap<>());
      String input = new File(root, "input").getPath();
      long t0 = System.nanoTime();
      generate(spark, rows, input);
      long generateMs = ms(t0);

      Map<String, Object> out = new LinkedHashMap<>();
      out.put("bench", "ingest");
      out.put("rows", rows);
      out.put("cores", Runtime.getRuntime().availableProcessors());
      out.put("generate_ms", generateMs);
      // Rounds of (copy, Parquet ingest, Delta ingest), each into a fresh target; every figure
      // is the fastest of its rounds, so baseline and ours get the same treatment.
      Map<String, List<Long>> ms = new LinkedHashMap<>();
      Map<String, List<Long>> cpu = new LinkedHashMap<>();
      for (int r = 0; r < rounds; r++) {
        long c = cpuMs();
        add(ms, "copy", copy(spark, input, new File(root, "copy" + r).getPath()));
        add(cpu, "copy", cpuMs() - c);
        c = cpuMs();
        File parquetDir = new File(root, "parquet" + r);
        add(ms, "parquet", ingest(spark, table(FileFormat.PARQUET, parquetDir), input, out));
        add(cpu, "parquet", cpuMs() - c);
        c = cpuMs();
        File deltaDir = new File(root, "delta" + r);
        add(ms, "delta", ingest(spark, table(FileFormat.DELTA, deltaDir), input, out));
        add(cpu, "delta", cpuMs() - c);
        c = cpuMs();
        add(ms, "copy_int64", copyInt64(spark, input, new File(root, "copy64-" + r).getPath()));
        add(cpu, "copy_int64", cpuMs() - c);
      }
      long baseline = Collections.min(ms.get("copy"));
      long parquet = Collections.min(ms.get("parquet"));
      long delta = Collections.min(ms.get("delta"));
      out.put("rounds", rounds);
      out.put("plain_copy_ms", ms.get("copy"));
      out.put("ingest_parquet_ms", ms.get("parquet"));
      out.put("ingest_delta_ms", ms.get("delta"));
      out.put("ratio_parquet", round(parquet / (double) baseline));
      out.put("ratio_delta", round(delta / (double) baseline));
      // against a copy that also writes INT64 timestamps (like for like on the encoding)
      long baseline64 = Collections.min(ms.get("copy_int64"));
      out.put("plain_copy_int64_ms", ms.get("copy_int64"));
      out.put("ratio_parquet_vs_int64_copy", round(parquet / (double) baseline64));
      out.put("ratio_delta_vs_int64_copy", round(delta / (double) baseline64));
      out.put("target_ratio", 1.3);
      // CPU time of the whole JVM per phase: less sensitive than wall time to other processes.
      out.put("cpu_ms", cpu);
      out.put("load_average", loadAverage());
      return out;
    } finally {
      spark.stop();
      FileUtils.deleteQuietly(root);
    }
  }

  private static void add(Map<String, List<Long>> figures, String name, long value) {
    figures.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
  }

  private static void generate(SparkSession spark, long rows, String path) {
    spark
        .range(0, rows, 1, 8)
        .select(
            expr("id % 100000").as("driver_id"),
            expr("CAST(rand(1) * 20 AS FLOAT)").as("average_daily_rides"),
            expr("rand(2) * 5").as("driver_rating"),
            expr("CAST(id % 97 AS BIGINT)").as("maximum_daily_rides"),
            expr("rand(3) * 1000").as("acc_rate"),
            expr("CAST(id % 7 AS INT)").as("trips_today"),
            expr("timestamp_seconds(1700000000 + CAST(rand(4) * 30 * 86400 AS BIGINT))")
                .as("datetime"))
        .write()
        .parquet(path);
  }

  private static long copy(SparkSession spark, String input, String output) {
    long t0 = System.nanoTime();
    spark.read().parquet(input).write().parquet(output);
    return ms(t0);
  }

  /**
   * The copy with the timestamp encoding ingest writes (INT64 microseconds rather than Spark's
   * INT96 default), to show how much of the difference is the encoding.
   */
  private static long copyInt64(SparkSession spark, String input, String output) {
    String key = "spark.sql.parquet.outputTimestampType";
    String before = spark.conf().get(key);
    spark.conf().set(key, "TIMESTAMP_MICROS");
    try {
      return copy(spark, input, output);
    } finally {
      spark.conf().set(key, before);
    }
  }

  private static long ingest(
      SparkSession spark, FeatureTable table, String input, Map<String, Object> out) {
    long t0 = System.nanoTime();
    IngestResult r =
        Ingestion.ingest(
            spark,
            table,
            spark.read().parquet(input),
            IngestOptions.defaults(),
            OfflineStores.of(table));
    long took = ms(t0);
    out.put(
        "rows_written_" + ((FileSource) table.batchSource()).format().sparkName(), r.rowsWritten());
    return took;
  }

  private static FeatureTable table(FileFormat format, File path) {
    return new FeatureTable(
        "bench_drivers",
        List.of(Entity.of("driver_id", ValueType.INT64)),
        List.of(
            Feature.of("average_daily_rides", ValueType.FLOAT),
            Feature.of("driver_rating", ValueType.DOUBLE),
            Feature.of("maximum_daily_rides", ValueType.INT64),
            Feature.of("acc_rate", ValueType.DOUBLE),
            Feature.of("trips_today", ValueType.INT64)),
        Optional.empty(),
        Map.of(),
        new FileSource(format, path.getPath(), SourceColumns.of("datetime", "created")),
        Optional.empty());
  }

  private static long cpuMs() {
    var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun
        ? sun.getProcessCpuTime() / 1_000_000
        : -1;
  }

  private static double loadAverage() {
    return round(
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  private static long ms(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private static double round(double x) {
    return Math.round(x * 100) / 100.0;
  }
}
