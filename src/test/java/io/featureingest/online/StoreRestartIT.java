package io.featureingest.online;

import static io.featureingest.testing.TwoVersionDrivers.counter;
import static org.assertj.core.api.Assertions.assertThat;

import io.featureingest.testing.CliRun;
import io.featureingest.testing.RedisServer;
import io.featureingest.testing.TwoVersionDrivers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

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
    var data =
        new TwoVersionDrivers(
            KEYS, Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(6)));
    data.write(dir, 4);
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
        """
                .formatted(dir, redis.port())
            + TwoVersionDrivers.tableConfig(dir));

    List<String> args =
        new ArrayList<>(List.of("materialize", "drivers", "--config", config.toString()));
    args.addAll(List.of(data.window()));
    CompletableFuture<CliRun> job =
        CompletableFuture.supplyAsync(() -> CliRun.of(args.toArray(String[]::new)));
    long before = TwoVersionDrivers.awaitKeys(redis.port(), 5000, job);
    // Reloading the append-only file takes seconds (0.5 ms per entry): the retries meet the
    // broken connection first, then the LOADING replies of a server that is up but not ready, as
    // a production Redis with gigabytes to load answers for minutes.
    redis.restart("--key-load-delay", "500");
    boolean sawLoading = awaitLoaded();
    long afterRestart = TwoVersionDrivers.awaitKeys(redis.port(), 1, job);

    CliRun run = job.get(3, TimeUnit.MINUTES);
    System.out.printf(
        "StoreRestartIT: %d keys before the crash, %d after the restart; summary %s%n",
        before, afterRestart, run.summaryLine());
    assertThat(run.exitCode()).as(run.err()).isZero();
    // The crash hit the write: some keys were in, not all, and the append-only file kept them.
    assertThat(before).isBetween(5000L, KEYS - 1L);
    assertThat(sawLoading).as("the restarted server answered LOADING for a while").isTrue();
    assertThat(afterRestart).isGreaterThanOrEqualTo(before).isLessThan(KEYS);
    // Every key landed once: as written, or as "not newer" when a batch that was applied before
    // the crash (its reply lost) was sent again.
    String summary = run.summaryLine();
    assertThat(counter(summary, "rows_written") + counter(summary, "rows_not_newer"))
        .isEqualTo(KEYS);
    assertThat(counter(summary, "rows_written")).isGreaterThanOrEqualTo(KEYS - afterRestart);
    data.assertExactState(redis.port());
  }

  /** Pings the restarted server until it has loaded its data; true if it ever said LOADING. */
  private boolean awaitLoaded() throws InterruptedException {
    boolean loading = false;
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    try (Jedis jedis = new Jedis("127.0.0.1", redis.port(), 10_000)) {
      while (System.nanoTime() < deadline) {
        try {
          jedis.ping();
          return loading;
        } catch (JedisDataException e) {
          if (!String.valueOf(e.getMessage()).startsWith("LOADING")) {
            throw e;
          }
          loading = true;
          Thread.sleep(20);
        }
      }
    }
    throw new AssertionError("redis-server did not finish loading in a minute");
  }
}
