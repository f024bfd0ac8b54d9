package io.featureingest.join;

import static org.assertj.core.api.Assertions.assertThat;

import io.featureingest.testing.CliRun;
import java.io.File;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * retrieve's BigQuery arguments are checked before the connector is called: a malformed table
 * reference is a usage error (exit 2) and nothing reaches a Google address.
 */
class RetrieveBigQueryArgumentsTest {
  @TempDir Path dir;

  private CliRun retrieve(String entities, String output, String format) {
    String project = System.getProperty("featureingest.projectDir", ".");
    return CliRun.of(
        "retrieve",
        "--entities",
        entities,
        "--features",
        "driver_trips:driver_rating",
        "--output",
        output,
        "--output-format",
        format,
        "--config",
        new File(project, "conf/feature_repo.conf").getPath(),
        "--set",
        "registry.path=\"" + dir.resolve("registry") + "\"");
  }

  @Test
  void aMalformedOutputTableIsAUsageError() {
    CliRun run =
        retrieve(
            new File(
                    System.getProperty("featureingest.projectDir", "."),
                    "conf/data/driver_entities.csv")
                .getPath(),
            "not a table",
            "bigquery");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err())
        .contains("bigquery table_ref 'not a table' is malformed")
        .doesNotContain("\tat ");
  }

  @Test
  void aMalformedEntityTableIsAUsageError() {
    CliRun run = retrieve("bq:just_a_name", dir.resolve("out").toString(), "parquet");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err())
        .contains("bigquery table_ref 'just_a_name' is malformed")
        .doesNotContain("\tat ");
  }

  @Test
  void anUnknownOutputFormatIsAUsageError() {
    CliRun run = retrieve("bq:d.t", dir.resolve("out").toString(), "orc");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("--output-format: expected parquet, csv, delta or bigquery, got 'orc'");
  }
}
