package io.featureingest.cli;

import static io.featureingest.testing.TwoVersionDrivers.counter;
import static org.assertj.core.api.Assertions.assertThat;

import io.featureingest.testing.LocalCluster;
import io.featureingest.testing.RedisServer;
import io.featureingest.testing.SparkSubmitRun;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault drill: on a Spark standalone cluster (scripts/local-cluster, two workers of one core), one
 * worker and its executor are killed (SIGKILL) while materialize writes to Redis. The driver loses
 * that executor's running write tasks and its shuffle output, re-runs them on the other worker
 * (spark.task.maxFailures), and the job must still exit 0 with the Redis state exactly as expected:
 * a write task that died half-way is simply repeated, and the compare-and-set makes the repetition
 * harmless.
 */
class WorkerKillIT {
  private static final int PORT = 7278; // LocalClusterIT uses 7277
  private static final int KEYS = 40_000;
  private static final Path STATE =
      SparkSubmitRun.projectDir().toPath().resolve("target/local-cluster");
  private static RedisServer redis;

  @TempDir static Path work;

  @BeforeAll
  static void startCluster() throws Exception {
    redis = RedisServer.start();
    assertThat(cluster("start")).isZero();
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster("stop");
    // The spark-submit driver, should the test have failed while it ran.
    ProcessHandle.current()
        .descendants()
        .filter(p -> p.info().commandLine().orElse("").contains("SparkSubmit"))
        .forEach(ProcessHandle::destroyForcibly);
    if (redis != null) {
      redis.close();
    }
  }

  private static int cluster(String action) throws Exception {
    return LocalCluster.run(action, PORT, work);
  }

  @Test
  void killingAWorkerInTheMiddleOfTheWriteLeavesTheStoreExact() throws Exception {
    var data =
        new TwoVersionDrivers(
            KEYS, Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(6)));
    data.write(work, 4);
    Path config = work.resolve("repo.conf");
    Files.writeString(
        config,
        """
        registry { path = "%1$s/registry" }
        # Tiny batches so that the write takes seconds and the kill lands in it.
        online_store { type = redis, host = "127.0.0.1", port = %2$d, batch_size = 2 }
        # Four write tasks, not coalesced into one, so that both executors write.
        spark {
          executor.memory = "512m"
          sql.shuffle.partitions = 4
          sql.adaptive.coalescePartitions.enabled = false
        }
        """
                .formatted(work, redis.port())
            + TwoVersionDrivers.tableConfig(work));
    List<String> args =
        new ArrayList<>(List.of("materialize", "drivers", "--config", config.toString()));
    args.addAll(List.of(data.window()));
    CompletableFuture<SparkSubmitRun> job =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return SparkSubmitRun.onMaster(
                    work, "spark://127.0.0.1:" + PORT, args.toArray(String[]::new));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });

    long before = TwoVersionDrivers.awaitFirstKey(redis.port(), job);
    // Freeze the writers (scripts wait while writes are paused) so that the kill is certain to hit
    // a write in progress, then kill worker-1 first (so it cannot report the loss and be given a
    // new executor) and its executor.
    redis.cli(redis.port(), "CLIENT", "PAUSE", "20000", "WRITE");
    long atKill = Long.parseLong(redis.cli(redis.port(), "DBSIZE").trim());
    ProcessHandle worker =
        ProcessHandle.of(Long.parseLong(Files.readString(STATE.resolve("worker-1.pid")).trim()))
            .orElseThrow(() -> new AssertionError("worker-1 is not running"));
    List<ProcessHandle> executors = worker.descendants().toList();
    worker.destroyForcibly();
    executors.forEach(ProcessHandle::destroyForcibly);
    worker.onExit().get(10, TimeUnit.SECONDS);
    for (ProcessHandle e : executors) {
      e.onExit().get(10, TimeUnit.SECONDS);
    }
    redis.cli(redis.port(), "CLIENT", "UNPAUSE");

    SparkSubmitRun run = job.get(4, TimeUnit.MINUTES);
    System.out.printf(
        "WorkerKillIT: first key seen at %d keys, killed at %d; summary %s%n",
        before, atKill, run.out().strip());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(executors).as("worker-1's executor").isNotEmpty();
    assertThat(atKill).as("keys when the worker was killed").isBetween(1L, KEYS - 1L);
    assertThat(run.err()).as("the driver saw the executor go").contains("Lost executor");
    String summary = run.out().strip();
    summary = summary.substring(summary.lastIndexOf('\n') + 1);
    assertThat(counter(summary, "rows_written") + counter(summary, "rows_not_newer"))
        .isEqualTo(KEYS);
    data.assertExactState(redis.port());
  }
}
