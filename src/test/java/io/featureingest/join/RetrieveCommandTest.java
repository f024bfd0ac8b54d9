package io.featureingest.join;

import static org.assertj.core.api.Assertions.assertThat;

import io.featureingest.cli.Main;
import io.featureingest.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code retrieve} command end to end: the example config, an offline store holding the seed's
 * four driver_trips rows under the source's own column names, and conf/data/driver_entities.csv.
 */
class RetrieveCommandTest {
  @TempDir Path dir;

  private int retrieve(String entities, String features, String... extra) {
    String project = System.getProperty("featureingest.projectDir", ".");
    List<String> args =
        new ArrayList<>(
            List.of(
                "retrieve",
                "--config",
                project + "/conf/feature_repo.conf",
                "--set",
                "registry.path=" + dir.resolve("registry"),
                "--set",
                "feature_tables.driver_trips.batch_source.path=" + dir.resolve("offline"),
                "--entities",
                entities.replace("PROJECT", project),
                "--features",
                features,
                "--output",
                dir.resolve("out").toString(),
                "--summary",
                dir.resolve("summary.json").toString()));
    args.addAll(List.of(extra));
    return Main.run(args.toArray(String[]::new));
  }

  @Test
  void buildsTheExampleTrainingSetAndFailsWithTheRightExitCodes() throws Exception {
    TestSpark.get()
        .sql(
            "SELECT * FROM VALUES"
                + " (1001L, 5.0f, 14.0f, TIMESTAMP'2019-01-01 01:00:00', TIMESTAMP'2019-01-01"
                + " 02:00:00'), (1002L, 2.6f, 43.0f, TIMESTAMP'2019-01-01 01:00:00', NULL),"
                + " (1003L, 4.1f, 154.0f, TIMESTAMP'2019-01-01 01:00:00', NULL),"
                + " (1004L, 3.4f, 74.0f, TIMESTAMP'2019-01-01 01:00:00', NULL),"
                // breaks the contract: no part in the training set, counted in the summary
                + " (CAST(NULL AS BIGINT), 9.9f, 9.9f, TIMESTAMP'2019-01-01 01:00:00', NULL)"
                + " AS t(driver_id, average_daily_rides, driver_rating, datetime, created)")
        .write()
        .parquet(dir.resolve("offline").toString());

    assertThat(
            retrieve(
                "PROJECT/conf/data/driver_entities.csv",
                "driver_ranking_v1",
                "--output-format",
                "csv"))
        .isEqualTo(0);
    List<String> rows = new ArrayList<>();
    for (Row r :
        TestSpark.get()
            .read()
            .option("header", "true")
            .csv(dir.resolve("out").toString())
            .orderBy("driver_id", "event_timestamp")
            .collectAsList()) {
      rows.add(r.mkString(","));
    }
    assertThat(rows)
        .containsExactly(
            "1001,2019-01-01T00:30:00.000Z,1,null,null",
            "1001,2019-01-01T12:00:00.000Z,0,5.0,14.0",
            "1002,2019-01-02T08:00:00.000Z,1,2.6,43.0",
            "1003,2019-01-03T01:00:00.000Z,1,4.1,154.0",
            "1004,2019-01-03T01:00:01.000Z,0,null,null",
            "1005,2019-01-02T00:00:00.000Z,1,null,null");
    assertThat(Files.readString(dir.resolve("summary.json")).replace(" ", ""))
        .contains("\"rows_written\":6")
        .contains("\"stored_rows_left_out\":1")
        .contains("\"stored_rows_left_out_by_table\":{\"driver_trips\":1}")
        .contains("driver_trips__driver_rating");

    assertThat(retrieve("sql:SELECT 1001L AS driver_id", "driver_trips:driver_rating"))
        .as("no timestamp column")
        .isEqualTo(3);
    assertThat(
            retrieve(
                "sql:SELECT 'x' AS driver_id, TIMESTAMP'2019-01-02 00:00:00' AS event_timestamp",
                "driver_trips:driver_rating"))
        .as("string key for an INT64 entity")
        .isEqualTo(3);
    assertThat(Files.readString(dir.resolve("summary.json")))
        .contains("'driver_id' has type string, expected INT64");
    assertThat(retrieve("sql:SELECT 1 AS a", "nosuch:feature")).isEqualTo(2);
    assertThat(retrieve("sql:SELECT 1 AS a", "driver_trips:nosuch")).isEqualTo(2);
  }
}
