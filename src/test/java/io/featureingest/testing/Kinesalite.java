package io.featureingest.testing;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * kinesalite (npm), a Kinesis-compatible server, for tests: in memory, on a free 127.0.0.1 port.
 * The npm package is installed once into {@code ~/.cache/feature-ingest/kinesalite} (or {@code
 * $KINESALITE_HOME}) by scripts/install-deps.sh or, failing that, here. Streams are created and
 * records put through Kinesis' JSON API over plain HTTP (kinesalite checks that requests are
 * signed, not the signature).
 *
 * <pre>{@code
 * static Kinesalite kinesis = Kinesalite.start();
 * kinesis.createStream("trips", 2);
 * kinesis.put("trips", List.of(bytes));
 * }</pre>
 */
public final class Kinesalite implements AutoCloseable {
  public static final String VERSION = "3.3.3";
  private final Process process;
  private final int port;
  private final HttpClient http = HttpClient.newHttpClient();

  private Kinesalite(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  public static Kinesalite start() {
    try {
      Path module = install();
      int port = KafkaBroker.freePort();
      String script =
          "require(process.argv[1])({createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0,"
              + " shardLimit: 50}).listen(+process.argv[2], '127.0.0.1',"
              + " () => console.log('ready'))";
      Path log = Files.createTempFile("kinesalite", ".log");
      Process p =
          new ProcessBuilder("node", "-e", script, module.toString(), String.valueOf(port))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      Kinesalite k = new Kinesalite(p, port);
      k.awaitPort(log);
      return k;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start kinesalite: " + e, e);
    }
  }

  /** The installed package folder, installing it with npm when missing. */
  static Path install() throws IOException {
    String home = System.getenv("KINESALITE_HOME");
    Path prefix =
        home != null
            ? Path.of(home)
            : Path.of(System.getProperty("user.home"), ".cache", "feature-ingest", "kinesalite");
    Path module = prefix.resolve("node_modules/kinesalite");
    if (!Files.isRegularFile(module.resolve("index.js"))) {
      Files.createDirectories(prefix);
      Process npm =
          new ProcessBuilder(
                  "npm",
                  "install",
                  "--no-audit",
                  "--no-fund",
                  "--prefix",
                  prefix.toString(),
                  "kinesalite@" + VERSION)
              .redirectErrorStream(true)
              .redirectOutput(prefix.resolve("npm-install.log").toFile())
              .start();
      try {
        if (!npm.waitFor(300, TimeUnit.SECONDS) || npm.exitValue() != 0) {
          npm.destroyForcibly();
          throw new IllegalStateException(
              "npm install kinesalite failed: "
                  + Files.readString(prefix.resolve("npm-install.log")));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return module;
  }

  private void awaitPort(Path log) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("kinesalite exited: " + Files.readString(log));
      }
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        sleep(100);
      }
    }
    close();
    throw new IllegalStateException(
        "kinesalite not listening after 30 s: " + Files.readString(log));
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** Calls one Kinesis API action with a JSON body and answers the JSON response. */
  public String call(String action, String json) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(endpoint() + "/"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-amz-json-1.1")
            .header("X-Amz-Target", "Kinesis_20131202." + action)
            .header("X-Amz-Date", "20240101T000000Z")
            .header(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/kinesis/aws4_request,"
                    + " SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=00")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(action + " failed: " + r.statusCode() + " " + r.body());
      }
      return r.body();
    } catch (IOException e) {
      throw new IllegalStateException(action + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public void createStream(String name, int shards) {
    call("CreateStream", "{\"StreamName\":\"" + name + "\",\"ShardCount\":" + shards + "}");
    for (int i = 0; i < 100; i++) {
      if (call("DescribeStream", "{\"StreamName\":\"" + name + "\"}").contains("\"ACTIVE\"")) {
        return;
      }
      sleep(100);
    }
    throw new IllegalStateException("stream " + name + " not ACTIVE");
  }

  /** Puts the records (partition key = their index), up to 500 per request. */
  public void put(String stream, List<byte[]> records) {
    for (int from = 0; from < records.size(); from += 500) {
      List<String> entries = new ArrayList<>();
      for (int i = from; i < Math.min(records.size(), from + 500); i++) {
        entries.add(
            "{\"Data\":\""
                + Base64.getEncoder().encodeToString(records.get(i))
                + "\",\"PartitionKey\":\"k"
                + i
                + "\"}");
      }
      String body =
          call(
              "PutRecords",
              "{\"StreamName\":\""
                  + stream
                  + "\",\"Records\":["
                  + String.join(",", entries)
                  + "]}");
      if (!body.contains("\"FailedRecordCount\":0")) {
        throw new IllegalStateException("PutRecords had failures: " + body);
      }
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
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
