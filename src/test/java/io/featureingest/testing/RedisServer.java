package io.featureingest.testing;

import io.featureingest.spec.RedisStoreConfig;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} for tests, on a free loopback port, without persistence: standalone
 * (optionally with {@code requirepass} and an ACL user) or a 3-master cluster. Close it in
 * {@code @AfterAll}.
 *
 * <pre>{@code
 * static RedisServer redis = RedisServer.start();
 * RedisStoreConfig config = redis.config();
 * }</pre>
 */
public final class RedisServer implements AutoCloseable {
  private final List<Process> processes = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();
  private final Path dir;
  private final String user;
  private final String password;
  private final boolean cluster;
  private final List<List<String>> launchArgs = new ArrayList<>();
  private boolean tls;

  private RedisServer(Path dir, String user, String password, boolean cluster) {
    this.dir = dir;
    this.user = user;
    this.password = password;
    this.cluster = cluster;
  }

  public static RedisServer start() {
    return start(null, null);
  }

  /** A standalone server; with a password it requires AUTH, with a user too an ACL user. */
  public static RedisServer start(String user, String password) {
    RedisServer s = new RedisServer(tempDir(), user, password, false);
    try {
      List<String> extra = new ArrayList<>();
      if (password != null && user == null) {
        extra.addAll(List.of("--requirepass", password));
      }
      s.launch(extra);
      if (user != null) {
        s.cli(s.ports.get(0), "ACL", "SETUSER", user, "on", ">" + password, "~*", "&*", "+@all");
        s.cli(s.ports.get(0), "ACL", "SETUSER", "default", "off");
      }
      return s;
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /**
   * A standalone server that keeps every acknowledged write across a crash, as a production Redis
   * should: append-only file, fsync before each reply ({@code appendfsync always}).
   */
  public static RedisServer startPersistent() {
    RedisServer s = new RedisServer(tempDir(), null, null, false);
    try {
      s.launch(List.of("--appendonly", "yes", "--appendfsync", "always"));
      return s;
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /**
   * Kills the (first) server with SIGKILL, a crash with no chance to save anything, and starts it
   * again on the same port with the same settings. Without persistence it comes back empty; a
   * {@link #startPersistent()} server reloads its append-only file. {@code extra} are arguments for
   * this start only, e.g. {@code --key-load-delay 500} (microseconds per loaded key, a redis test
   * knob) to make the reload last long enough that clients see its {@code LOADING} replies.
   */
  public void restart(String... extra) {
    kill();
    startAgain(extra);
  }

  /** Kills the (first) server with SIGKILL and waits until it is gone: the store is down. */
  public void kill() {
    Process old = processes.get(0);
    old.destroyForcibly();
    try {
      if (!old.waitFor(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("redis-server did not die");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Starts the (first) server again on its port with its settings, after {@link #kill()}. */
  public void startAgain(String... extra) {
    List<String> args = new ArrayList<>(launchArgs.get(0));
    args.addAll(List.of(extra));
    processes.set(0, start(ports.get(0), args));
  }

  /**
   * A standalone server that speaks only TLS, with a self-signed certificate for 127.0.0.1 made by
   * openssl in {@link #tlsCaFile()}; plain clients are refused.
   */
  public static RedisServer startTls() {
    RedisServer s = new RedisServer(tempDir(), null, null, false);
    try {
      Path cert = s.dir.resolve("ca.pem");
      Path key = s.dir.resolve("key.pem");
      selfSignedCertificate(cert, key);
      s.tls = true;
      s.launch(
          List.of(
              "--tls-cert-file",
              cert.toString(),
              "--tls-key-file",
              key.toString(),
              "--tls-ca-cert-file",
              cert.toString(),
              "--tls-auth-clients",
              "no"));
      return s;
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /** A self-signed certificate for IP 127.0.0.1 and its key, PEM files made by openssl. */
  public static void selfSignedCertificate(Path cert, Path key) {
    run(
        List.of(
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-keyout",
            key.toString(),
            "-out",
            cert.toString(),
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1"));
  }

  /** The PEM CA certificate of a {@link #startTls()} server. */
  public String tlsCaFile() {
    return dir.resolve("ca.pem").toString();
  }

  /** Three masters, slots spread by {@code redis-cli --cluster create}. */
  public static RedisServer startCluster() {
    RedisServer s = new RedisServer(tempDir(), null, null, true);
    try {
      for (int i = 0; i < 3; i++) {
        s.launch(
            List.of(
                "--cluster-enabled",
                "yes",
                "--cluster-config-file",
                "nodes-" + i + ".conf",
                "--cluster-node-timeout",
                "2000"));
      }
      List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
      s.ports.forEach(p -> create.add("127.0.0.1:" + p));
      create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
      run(create);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      // Every node, not only the first: under load the others learn the slot map later, and a
      // client that reaches one of them first gets CLUSTERDOWN.
      for (int port : s.ports) {
        while (!s.cli(port, "CLUSTER", "INFO").contains("cluster_state:ok")) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("redis cluster node " + port + " did not become ok");
          }
          sleep(100);
        }
      }
      return s;
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
  }

  private void launch(List<String> extra) {
    int port = freePort(cluster);
    Process p = start(port, extra);
    processes.add(p);
    ports.add(port);
    launchArgs.add(List.copyOf(extra));
  }

  private Process start(int port, List<String> extra) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "redis-server",
                tls ? "--tls-port" : "--port",
                String.valueOf(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString()));
    cmd.addAll(extra);
    if (tls) {
      cmd.addAll(List.of("--port", "0"));
    }
    try {
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(dir.resolve("redis-" + port + ".log").toFile()))
              .start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (true) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
          return p;
        } catch (IOException e) {
          if (!p.isAlive() || System.nanoTime() > deadline) {
            p.destroyForcibly();
            throw new IllegalStateException(
                "redis-server did not start on port " + port + ": " + log(port), e);
          }
          sleep(20);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot run redis-server (scripts/install-deps.sh installs it): " + e.getMessage(), e);
    }
  }

  public int port() {
    return ports.get(0);
  }

  public List<Integer> ports() {
    return List.copyOf(ports);
  }

  /** A store config pointing at this server (or cluster) with the given batch and attempts. */
  public RedisStoreConfig config() {
    return config(1000, 3);
  }

  public RedisStoreConfig config(int batchSize, int maxAttempts) {
    List<String> nodes = cluster ? ports.stream().map(p -> "127.0.0.1:" + p).toList() : List.of();
    return new RedisStoreConfig(
        "127.0.0.1",
        port(),
        nodes,
        cluster,
        Optional.ofNullable(user),
        Optional.ofNullable(password),
        tls,
        tls ? Optional.of(tlsCaFile()) : Optional.empty(),
        true,
        0,
        5000,
        batchSize,
        maxAttempts,
        "");
  }

  /** Runs redis-cli against one node (with this server's credentials) and returns its output. */
  public String cli(int port, String... args) {
    List<String> cmd = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", "" + port));
    if (user != null) {
      cmd.addAll(List.of("--user", user));
    }
    if (password != null) {
      cmd.addAll(List.of("--pass", password, "--no-auth-warning"));
    }
    cmd.addAll(List.of(args));
    return run(cmd);
  }

  /** One field of INFO on the first node, e.g. {@code info("memory", "used_memory")}. */
  public long info(String section, String field) {
    for (String line : cli(port(), "INFO", section).split("\r?\n")) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.substring(field.length() + 1).trim());
      }
    }
    throw new IllegalStateException("no " + field + " in INFO " + section);
  }

  private static String run(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (p.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", cmd.subList(0, 3)) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private String log(int port) {
    try {
      return Files.readString(dir.resolve("redis-" + port + ".log"));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  /** A loopback port with nothing listening (and its cluster bus port + 10000 free too). */
  public static int freePort(boolean withBus) {
    for (int i = 0; i < 100; i++) {
      try (ServerSocket s = new ServerSocket(0)) {
        int port = s.getLocalPort();
        if (!withBus) {
          return port;
        }
        if (port + 10000 < 65536) {
          try (ServerSocket bus = new ServerSocket(port + 10000)) {
            return port;
          } catch (IOException busy) {
            // try another
          }
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("no free port");
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("fi-redis");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      try {
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    delete(dir.toFile()); // the append-only file of startPersistent() is a directory
  }

  private static void delete(File f) {
    File[] files = f.listFiles();
    if (files != null) {
      for (File child : files) {
        delete(child);
      }
    }
    f.delete();
  }
}
