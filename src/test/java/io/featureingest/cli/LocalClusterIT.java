package io.featureingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.featureingest.testing.LocalCluster;
import io.featureingest.testing.RedisServer;
import io.featureingest.testing.SparkSubmitRun;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar on a real Spark standalone cluster (scripts/local-cluster: a master and two
 * workers on loopback, executors in their own JVMs): ingest, materialize into a real redis-server,
 * online-get, and retrieve, each submitted with spark-submit.
 */
class LocalClusterIT {
  private static final int PORT = 7277;
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
    if (redis != null) {
      redis.close();
    }
  }

  private static int cluster(String action) throws Exception {
    return LocalCluster.run(action, PORT, work);
  }

  private SparkSubmitRun submit(String... args) throws Exception {
    String[] all = new String[args.length + 8];
    System.arraycopy(args, 0, all, 0, args.length);
    String[] common = {
      "--config",
      new File(SparkSubmitRun.projectDir(), "conf/feature_repo.conf").getPath(),
      "--set",
      "online_store.type=redis",
      "--set",
      "online_store.port=" + redis.port(),
      "--set",
      "spark.executor.memory=\"512m\""
    };
    System.arraycopy(common, 0, all, args.length, common.length);
    SparkSubmitRun run = SparkSubmitRun.onMaster(work, "spark://127.0.0.1:" + PORT, all);
    assertThat(run.exitCode()).as(String.join(" ", args) + "\n" + run.err()).isZero();
    return run;
  }

  @Test
  void ingestMaterializeOnlineGetAndRetrieveOnAStandaloneCluster() throws Exception {
    // Recent events: Redis expires a value at event time + max_age (2d), so old sample dates
    // would be gone the moment they land.
    java.time.Instant base =
        java.time.Instant.now()
            .truncatedTo(java.time.temporal.ChronoUnit.HOURS)
            .minusSeconds(6 * 3600);
    java.util.function.IntFunction<String> at = h -> base.plusSeconds(h * 3600L).toString();
    Path input = work.resolve("trips.csv");
    Files.write(
        input,
        List.of(
            "datetime,driver_id,average_daily_rides,driver_rating,maximum_daily_rides",
            at.apply(1) + ",1001,5.0,14.0,20",
            at.apply(2) + ",1001,6.0,15.0,21",
            at.apply(1) + ",1002,2.6,43.0,10",
            at.apply(3) + ",1003,4.1,154.0,30"));

    SparkSubmitRun ingest = submit("ingest", "driver_trips", "--input", input.toString());
    assertThat(ingest.out()).contains("\"rows_written\": 4");

    SparkSubmitRun materialize =
        submit("materialize", "driver_trips", "--start", at.apply(0), "--end", at.apply(5));
    assertThat(materialize.out()).contains("\"rows_written\": 3");

    SparkSubmitRun get = submit("online-get", "driver_trips", "--entity", "driver_id=1001");
    assertThat(get.out())
        .contains("\"event_timestamp\": \"" + at.apply(2) + "\"")
        .contains("\"average_daily_rides\": 6.0")
        .contains("\"maximum_daily_rides\": 21");

    Path entities = work.resolve("entities.csv");
    Files.write(
        entities,
        List.of(
            "driver_id,event_timestamp",
            "1001," + base.plusSeconds(5400),
            "1001," + at.apply(5),
            "1002," + at.apply(-48)));
    submit(
        "retrieve",
        "--entities",
        entities.toString(),
        "--features",
        "driver_trips:average_daily_rides",
        "--output",
        work.resolve("training").toString());
    var rows =
        org.apache.spark.sql.SparkSession.builder()
            .master("local[1]")
            .config("spark.ui.enabled", "false")
            .getOrCreate()
            .read()
            .parquet(work.resolve("training").toString())
            .orderBy("driver_id", "event_timestamp")
            .collectAsList();
    assertThat(rows).hasSize(3);
    assertThat(rows.get(0).<Object>getAs("driver_trips__average_daily_rides")).isEqualTo(5.0f);
    assertThat(rows.get(1).<Object>getAs("driver_trips__average_daily_rides")).isEqualTo(6.0f);
    assertThat(rows.get(2).<Object>getAs("driver_trips__average_daily_rides")).isNull();
  }
}
