package io.featureingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.featureingest.testing.SparkSubmitRun;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands that need no Spark, through {@code scripts/feature-ingest} as users run them: a
 * plain JVM with the packaged jar (its relocated Jetty included) and Spark's jars, no SparkSubmit
 * and no SparkSession. {@code serve} listens on a free port, answers a real HTTP client, and stops
 * cleanly on SIGTERM.
 */
class PlainJvmIT {
  @TempDir Path work;

  private Process start(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(new File(SparkSubmitRun.projectDir(), "scripts/feature-ingest").getPath());
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .directory(work.toFile())
        .redirectError(work.resolve("stderr-" + args[0] + ".txt").toFile())
        .start();
  }

  private String run(String... args) throws Exception {
    Process p = start(args);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    String err = Files.readString(work.resolve("stderr-" + args[0] + ".txt"));
    assertThat(p.exitValue()).as(err).isZero();
    assertThat(err).doesNotContain("SparkContext").doesNotContain("Running Spark version");
    return out;
  }

  @Test
  void listOnlineGetAndServeRunWithoutSpark() throws Exception {
    String config = new File(SparkSubmitRun.projectDir(), "conf/feature_repo.conf").getPath();
    assertThat(run("apply", "--config", config)).contains("\"status\": \"succeeded\"");
    assertThat(run("list", "--config", config)).contains("driver_trips");
    assertThat(run("online-get", "driver_trips", "--entity", "driver_id=1001", "--config", config))
        .contains("\"entity\": {\"driver_id\": 1001}")
        .contains("\"event_timestamp\": null");

    Process server = start("serve", "--port", "0", "--config", config);
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      String ready = out.readLine();
      assertThat(ready).as("the ready line").isNotNull().contains("\"online_store\": \"sqlite");
      Matcher url = Pattern.compile("\"serving\": \"([^\"]+)\"").matcher(ready);
      assertThat(url.find()).isTrue();
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(URI.create(url.group(1) + "/get-online-features"))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"feature_service\": \"driver_ranking_v1\","
                              + " \"entities\": {\"driver_id\": [1001]}}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(answer.body())
          .startsWith(
              "{\"metadata\":{\"feature_names\":[\"driver_id\",\"average_daily_rides\","
                  + "\"driver_rating\"]},\"results\":[{\"values\":[1001]")
          .contains("\"NOT_FOUND\"");
    } finally {
      server.destroy(); // SIGTERM
      assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("serve stops on SIGTERM").isTrue();
    }
    assertThat(Files.readString(work.resolve("stderr-serve.txt"))).doesNotContain("SparkContext");
  }
}
