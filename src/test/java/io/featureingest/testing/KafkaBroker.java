package io.featureingest.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A real Kafka broker for tests and benchmarks: KRaft mode (broker and controller in one process),
 * in its own JVM started from the test classpath (kafka_2.12 3.4.1 from Maven Central), bound to
 * 127.0.0.1 on free ports, with a small heap. Close it in {@code @AfterAll}.
 *
 * <pre>{@code
 * static KafkaBroker kafka = KafkaBroker.start();
 * kafka.createTopic("trips", 2);
 * kafka.produce("trips", List.of(bytes));
 * }</pre>
 */
public final class KafkaBroker implements AutoCloseable {
  private final Path dir;
  private final int port;
  private Process process;
  private KafkaProducer<byte[], byte[]> producer;

  private KafkaBroker(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  public static KafkaBroker start() {
    try {
      Path dir = Files.createTempDirectory("kafka-broker");
      KafkaBroker broker = new KafkaBroker(dir, freePort());
      try {
        broker.launch(freePort());
        return broker;
      } catch (RuntimeException e) {
        broker.close();
        throw e;
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot start kafka: " + e, e);
    }
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  private void launch(int controllerPort) throws IOException {
    Path logs = dir.resolve("logs");
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put(
        "listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", logs.toString());
    p.put("num.partitions", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "true");
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "2");
    p.put("log.flush.interval.messages", "1000000");
    File props = dir.resolve("server.properties").toFile();
    try (var out = new java.io.FileOutputStream(props)) {
      p.store(out, "feature-ingest test broker");
    }
    String clusterId = Uuid.randomUuid().toString();
    Process format =
        java("kafka.tools.StorageTool", "format", "-t", clusterId, "-c", props.getPath())
            .redirectOutput(dir.resolve("format.log").toFile())
            .redirectErrorStream(true)
            .start();
    waitFor(format, "kafka storage format");
    process =
        java("kafka.Kafka", props.getPath())
            .redirectOutput(dir.resolve("broker.log").toFile())
            .redirectErrorStream(true)
            .start();
    awaitReady();
  }

  private ProcessBuilder java(String main, String... args) throws IOException {
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    // An argument file keeps the long classpath off the command line.
    Path argFile = dir.resolve(main + ".args");
    Files.writeString(argFile, "-cp \"" + cp.replace("\\", "\\\\") + "\"\n");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-Xss1m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Djava.net.preferIPv4Stack=true",
                "-Dlog4j2.level=WARN",
                "@" + argFile,
                main));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).directory(dir.toFile());
  }

  private void waitFor(Process p, String what) {
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(what + " failed: " + log("format.log"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    Exception last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("kafka broker exited: " + log("broker.log"));
      }
      try (Admin admin = admin()) {
        admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
        return;
      } catch (Exception e) {
        last = e;
        sleep(300);
      }
    }
    throw new IllegalStateException(
        "kafka broker not ready after 60 s: " + last + "\n" + log("broker.log"));
  }

  private String log(String name) {
    try {
      String text = Files.readString(dir.resolve(name));
      return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    } catch (IOException e) {
      return "(no " + name + ")";
    }
  }

  public Admin admin() {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers(),
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
            5000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            10000));
  }

  public void createTopic(String topic, int partitions) {
    try (Admin admin = admin()) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    } catch (Exception e) {
      throw new IllegalStateException("cannot create topic " + topic + ": " + e, e);
    }
  }

  /** One shared producer: acks=all, small linger, so tests see every message once it returns. */
  public synchronized KafkaProducer<byte[], byte[]> producer() {
    if (producer == null) {
      producer =
          new KafkaProducer<>(
              Map.of(
                  ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  bootstrapServers(),
                  ProducerConfig.ACKS_CONFIG,
                  "all",
                  ProducerConfig.LINGER_MS_CONFIG,
                  5,
                  ProducerConfig.BATCH_SIZE_CONFIG,
                  256 * 1024,
                  ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                  true),
              new ByteArraySerializer(),
              new ByteArraySerializer());
    }
    return producer;
  }

  /** Sends the messages (no key: round-robin per batch) and waits until all are acknowledged. */
  public void produce(String topic, List<byte[]> values) {
    var p = producer();
    List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
    for (byte[] v : values) {
      sent.add(p.send(new ProducerRecord<>(topic, v)));
    }
    p.flush();
    for (var f : sent) {
      try {
        f.get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("produce to " + topic + " failed: " + e, e);
      }
    }
  }

  @Override
  public void close() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
      producer = null;
    }
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
    deleteTree(dir.toFile());
  }

  private static void deleteTree(File f) {
    File[] children = f.listFiles();
    if (children != null) {
      for (File c : children) {
        deleteTree(c);
      }
    }
    f.delete();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
