package io.featureingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.featureingest.testing.SparkSubmitRun;
import java.io.File;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar, run by Spark's own SparkSubmit from a directory other than the project's. */
class SparkSubmitIT {
  @TempDir Path work;

  @Test
  void appliesAndDescribesTheExampleThroughSparkSubmit() throws Exception {
    String config = new File(SparkSubmitRun.projectDir(), "conf/feature_repo.conf").getPath();
    SparkSubmitRun apply = SparkSubmitRun.of(work, "apply", "--config", config);
    assertThat(apply.exitCode()).as(apply.err()).isZero();
    assertThat(apply.out()).contains("\"status\": \"succeeded\"");
    assertThat(work.resolve("data/registry/tables/driver_trips.json")).exists();

    SparkSubmitRun describe =
        SparkSubmitRun.of(work, "describe", "driver_trips", "--config", config);
    assertThat(describe.exitCode()).as(describe.err()).isZero();
    assertThat(describe.out()).contains("name: driver_trips").contains("created_timestamp:");
  }

  @Test
  void aBadSpecExitsTwoWithOneLineAndNoStackTrace() throws Exception {
    SparkSubmitRun run =
        SparkSubmitRun.of(work, "describe", "driver_trips", "--set", "online_store.type=memcached");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("online_store.type: expected sqlite or redis, got 'memcached'");
    assertThat(run.err()).doesNotContain("\tat ");
  }
}
