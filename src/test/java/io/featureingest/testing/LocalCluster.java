package io.featureingest.testing;

import java.io.File;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Drives scripts/local-cluster (a standalone master and two workers on loopback) from tests. */
public final class LocalCluster {
  private LocalCluster() {}

  /**
   * Runs {@code scripts/local-cluster ACTION} on master port {@code port}; its output goes to
   * logDir.
   */
  public static int run(String action, int port, Path logDir) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
                new File(SparkSubmitRun.projectDir(), "scripts/local-cluster").getPath(), action)
            .redirectErrorStream(true)
            .redirectOutput(logDir.resolve("cluster-" + action + ".log").toFile());
    builder.environment().put("LOCAL_CLUSTER_PORT", String.valueOf(port));
    builder.environment().put("LOCAL_CLUSTER_WORKER_MEMORY", "1g");
    Process p = builder.start();
    if (!p.waitFor(3, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("scripts/local-cluster " + action + " did not finish in 3 minutes");
    }
    return p.exitValue();
  }
}
