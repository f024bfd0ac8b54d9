package io.featureingest.bench;

import static org.apache.spark.sql.functions.col;

import io.featureingest.job.OfflineStores;
import io.featureingest.online.OnlineRecord;
import io.featureingest.online.OnlineStore;
import io.featureingest.online.OnlineTable;
import io.featureingest.online.redis.RedisOnlineStore;
import io.featureingest.spec.AvroFormat;
import io.featureingest.spec.Entity;
import io.featureingest.spec.Feature;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.FileFormat;
import io.featureingest.spec.FileSource;
import io.featureingest.spec.KafkaSource;
import io.featureingest.spec.SourceColumns;
import io.featureingest.spec.ValueType;
import io.featureingest.stream.BatchFigures;
import io.featureingest.stream.Push;
import io.featureingest.stream.StreamPipeline;
import io.featureingest.stream.StreamSettings;
import io.featureingest.testing.KafkaBroker;
import io.featureingest.testing.RedisServer;
import io.featureingest.testing.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/**
 * {@code scripts/bench stream [--events N] [--rate R] [--seconds S]}: a real KRaft broker and
 * redis-server; produces N Avro events (default 1M, 100k driver keys) and measures
 *
 * <ul>
 *   <li>throughput: the stream job from Kafka to Redis, events/s over the whole backlog
 *       (AvailableNow, 250k events per micro-batch), against a baseline in the same run: a plain
 *       Spark batch read of the topic with from_avro, counted (decode only, no store);
 *   <li>latency: produce-to-visible at R events/s (default 10k) for S seconds (default 20) with a 1
 *       s trigger; one event in 100 goes to a fresh key whose appearance in Redis a poller times.
 * </ul>
 */
public final class StreamBench {
  static final String SCHEMA =
      """
      {"type":"record","name":"Trip","fields":[
        {"name":"driver_id","type":"long"},{"name":"rating","type":"double"},
        {"name":"trips","type":"int"},
        {"name":"event_time","type":{"type":"long","logicalType":"timestamp-millis"}}]}
      """;

  private StreamBench() {}

  public static Map<String, Object> run(String[] args) throws Exception {
    long events = 1_000_000;
    int rate = 10_000;
    int seconds = 20;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--events" -> events = Long.parseLong(args[i + 1]);
        case "--rate" -> rate = Integer.parseInt(args[i + 1]);
        case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path work = Path.of("target/bench/stream");
    deleteTree(work);
    Files.createDirectories(work);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("bench", "stream");
    out.put("events", events);
    try (KafkaBroker kafka = KafkaBroker.start();
        RedisServer redis = RedisServer.start()) {
      SparkSession spark = TestSpark.get();
      OnlineStore.Opener store = RedisOnlineStore.opener(redis.config(1000, 3));
      Schema schema = new Schema.Parser().parse(SCHEMA);

      kafka.createTopic("bench", 2);
      long t0 = System.nanoTime();
      produce(kafka.producer(), "bench", schema, events);
      out.put("produce_events_per_s", rate(events, System.nanoTime() - t0));

      // Baseline: Spark reads and decodes the same backlog, no validation, no store.
      t0 = System.nanoTime();
      long cpu0 = cpuNanos();
      long decoded =
          spark
              .read()
              .format("kafka")
              .option("kafka.bootstrap.servers", kafka.bootstrapServers())
              .option("subscribe", "bench")
              .load()
              .select(org.apache.spark.sql.avro.functions.from_avro(col("value"), SCHEMA).as("r"))
              .where(col("r.driver_id").isNotNull())
              .count();
      out.put("baseline_spark_decode_events_per_s", rate(decoded, System.nanoTime() - t0));
      out.put("baseline_cpu_s", Math.round((cpuNanos() - cpu0) / 1e8) / 10.0);

      FeatureTable table = table(work, kafka.bootstrapServers(), "bench", "250000");
      List<BatchFigures> figures = new CopyOnWriteArrayList<>();
      t0 = System.nanoTime();
      cpu0 = cpuNanos();
      StreamingQuery q =
          StreamPipeline.start(
              spark,
              table,
              OfflineStores.of(table),
              new StreamSettings(
                  work.resolve("cp-throughput").toString(),
                  Trigger.AvailableNow(),
                  settings(store)),
              figures::add);
      q.awaitTermination();
      long elapsed = System.nanoTime() - t0;
      long in = figures.stream().mapToLong(BatchFigures::inputRows).sum();
      out.put("stream_events", in);
      out.put("stream_batches", figures.size());
      out.put("stream_rows_written", figures.stream().mapToLong(BatchFigures::written).sum());
      out.put("stream_events_per_s", rate(in, elapsed));
      // This JVM's CPU (Spark, driver, Redis client), not redis-server's: less noisy than wall
      // time.
      out.put("stream_cpu_s", Math.round((cpuNanos() - cpu0) / 1e8) / 10.0);
      out.put("target_events_per_s", 50_000);

      latency(out, spark, kafka, store, schema, work, rate, seconds);
    } finally {
      TestSpark.get().stop();
    }
    return out;
  }

  private static void latency(
      Map<String, Object> out,
      SparkSession spark,
      KafkaBroker kafka,
      OnlineStore.Opener store,
      Schema schema,
      Path work,
      int rate,
      int seconds)
      throws Exception {
    kafka.createTopic("latency", 2);
    FeatureTable table = table(work, kafka.bootstrapServers(), "latency", "1000000");
    List<BatchFigures> figures = new CopyOnWriteArrayList<>();
    StreamingQuery q =
        StreamPipeline.start(
            spark,
            table,
            OfflineStores.of(table),
            new StreamSettings(
                work.resolve("cp-latency").toString(),
                Trigger.ProcessingTime("1 second"),
                settings(store)),
            figures::add);
    Map<Long, Long> pending = new ConcurrentHashMap<>();
    List<Long> latencies = new CopyOnWriteArrayList<>();
    OnlineTable online = OnlineTable.of(table);
    Thread poller =
        new Thread(
            () -> {
              try (OnlineStore s = store.open()) {
                while (!Thread.currentThread().isInterrupted()) {
                  List<Long> keys = new ArrayList<>(pending.keySet());
                  if (!keys.isEmpty()) {
                    List<Optional<OnlineRecord>> rows =
                        s.read(online, keys.stream().map(k -> List.<Object>of(k)).toList());
                    long now = System.nanoTime();
                    for (int i = 0; i < keys.size(); i++) {
                      if (rows.get(i).isPresent()) {
                        Long sent = pending.remove(keys.get(i));
                        if (sent != null) {
                          latencies.add((now - sent) / 1_000_000);
                        }
                      }
                    }
                  }
                  Thread.sleep(10);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "latency poller");
    poller.start();
    // Let the query start before the clock runs: a first empty trigger.
    Thread.sleep(3000);
    KafkaProducer<byte[], byte[]> producer = kafka.producer();
    GenericDatumWriter<GenericRecord> writer = new GenericDatumWriter<>(schema);
    long start = System.nanoTime();
    long total = (long) rate * seconds;
    long sample = 0;
    for (long i = 0; i < total; i++) {
      long due = start + i * 1_000_000_000L / rate;
      long wait = due - System.nanoTime();
      if (wait > 1_000_000) {
        Thread.sleep(wait / 1_000_000);
      }
      long id = i % 100 == 0 ? 10_000_000L + sample++ : i % 100_000;
      byte[] value = encode(writer, schema, id, System.currentTimeMillis());
      if (id >= 10_000_000L) {
        pending.put(id, System.nanoTime());
      }
      producer.send(new ProducerRecord<>("latency", value));
    }
    producer.flush();
    out.put("latency_rate_achieved_per_s", rate(total, System.nanoTime() - start));
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!pending.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    poller.interrupt();
    poller.join();
    q.stop();
    // Where a trigger's time goes (Spark's own phases), to stderr next to the batch log lines.
    for (var p : q.recentProgress()) {
      System.err.println(
          "latency batch " + p.batchId() + ": " + p.numInputRows() + " rows, " + p.durationMs());
    }
    List<Long> sorted = new ArrayList<>(latencies);
    sorted.sort(Long::compare);
    out.put("latency_samples", sorted.size());
    out.put("latency_samples_lost", pending.size());
    out.put("latency_batches", figures.size());
    if (!sorted.isEmpty()) {
      out.put("latency_p50_ms", sorted.get(sorted.size() / 2));
      out.put("latency_p99_ms", sorted.get(Math.min(sorted.size() - 1, sorted.size() * 99 / 100)));
      out.put("latency_max_ms", sorted.get(sorted.size() - 1));
    }
    out.put("target_p99_ms", 2000);
  }

  static FeatureTable table(Path work, String servers, String topic, String perTrigger) {
    return new FeatureTable(
        "bench_trips_" + topic,
        List.of(Entity.of("driver_id", ValueType.INT64)),
        List.of(Feature.of("rating", ValueType.DOUBLE), Feature.of("trips", ValueType.INT32)),
        Optional.empty(),
        Map.of(),
        new FileSource(
            FileFormat.PARQUET,
            work.resolve("offline-" + topic).toString(),
            SourceColumns.of("event_time", null)),
        Optional.of(
            new KafkaSource(
                servers,
                topic,
                "earliest",
                Map.of("maxOffsetsPerTrigger", perTrigger),
                new AvroFormat(Optional.of(SCHEMA), Optional.empty(), false),
                false,
                SourceColumns.of("event_time", null))));
  }

  static Push.Settings settings(OnlineStore.Opener store) {
    return new Push.Settings(store, 1000, Optional.empty(), 0.0, false);
  }

  static void produce(
      KafkaProducer<byte[], byte[]> producer, String topic, Schema schema, long events)
      throws IOException {
    GenericDatumWriter<GenericRecord> writer = new GenericDatumWriter<>(schema);
    long now = System.currentTimeMillis();
    for (long i = 0; i < events; i++) {
      producer.send(
          new ProducerRecord<>(topic, encode(writer, schema, i % 100_000, now - events + i)));
    }
    producer.flush();
  }

  static byte[] encode(
      GenericDatumWriter<GenericRecord> writer, Schema schema, long id, long eventMillis)
      throws IOException {
    GenericRecord r = new GenericData.Record(schema);
    r.put("driver_id", id);
    r.put("rating", (id % 50) / 10.0);
    r.put("trips", (int) (id % 1000));
    r.put("event_time", eventMillis);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(32);
    BinaryEncoder enc = EncoderFactory.get().binaryEncoder(bytes, null);
    writer.write(r, enc);
    enc.flush();
    return bytes.toByteArray();
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static double rate(long n, long nanos) {
    return Math.round(n / (nanos / 1e9) * 10) / 10.0;
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var walk = Files.walk(p)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
