package io.featureingest.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code scripts/feature-ingest ARGS} (the packaged jar through Spark's real SparkSubmit) in a
 * separate JVM, in a working directory of the test's choosing.
 */
public record SparkSubmitRun(int exitCode, String out, String err) {

  public static File projectDir() {
    return new File(System.getProperty("featureingest.projectDir", ".")).getAbsoluteFile();
  }

  public static SparkSubmitRun of(Path workDir, String... args)
      throws IOException, InterruptedException {
    return onMaster(workDir, null, args);
  }

  /** The same on a given Spark master, e.g. spark://127.0.0.1:7077; null means local[*]. */
  public static SparkSubmitRun onMaster(Path workDir, String master, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(new File(projectDir(), "scripts/feature-ingest").getPath());
    command.addAll(List.of(args));
    Path out = Files.createTempFile(workDir, "stdout", ".txt");
    Path err = Files.createTempFile(workDir, "stderr", ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    builder.environment().put("FEATURE_INGEST_DRIVER_MEMORY", "2g");
    // Every command through SparkSubmit, as on a cluster; PlainJvmIT runs the plain-JVM path.
    builder.environment().put("FEATURE_INGEST_PLAIN_JVM", "0");
    if (master != null) {
      builder.environment().put("FEATURE_INGEST_MASTER", master);
    }
    Process process = builder.start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(
          "scripts/feature-ingest " + String.join(" ", args) + " did not finish in 5 minutes");
    }
    return new SparkSubmitRun(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
