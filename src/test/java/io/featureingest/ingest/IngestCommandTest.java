package io.featureingest.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.featureingest.cli.Main;
import io.featureingest.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code ingest} command end to end on the example repository and the seed's CSV. */
class IngestCommandTest {
  @TempDir Path dir;

  private int ingest(String... extra) {
    String project = System.getProperty("featureingest.projectDir", ".");
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of(
                "ingest",
                "driver_trips",
                "--config",
                project + "/conf/feature_repo.conf",
                "--set",
                "registry.path=" + dir.resolve("registry"),
                "--set",
                "feature_tables.driver_trips.batch_source.path=" + dir.resolve("offline"),
                "--input",
                project + "/conf/data/driver_data.csv",
                "--summary",
                dir.resolve("summary.json").toString()));
    args.addAll(java.util.List.of(extra));
    return Main.run(args.toArray(String[]::new));
  }

  @Test
  void seedCsvIngestsWithMissingFeaturesAllowedAndFailsWithExit3Otherwise() throws Exception {
    assertThat(ingest()).isEqualTo(3);
    assertThat(Files.readString(dir.resolve("summary.json")).replace(" ", ""))
        .contains("\"status\":\"failed\"")
        .contains("maximum_daily_rides");
    assertThat(dir.resolve("offline")).doesNotExist();

    assertThat(ingest("--allow-missing-features")).isEqualTo(0);
    String summary = Files.readString(dir.resolve("summary.json")).replace(" ", "");
    assertThat(summary)
        .contains("\"rows_read\":4")
        .contains("\"rows_written\":4")
        .contains("\"rows_quarantined\":0")
        .contains("\"dropped_columns\":[]");
    assertThat(dir.resolve("offline/date=2019-01-01")).isDirectory();
    assertThat(TestSpark.get().read().parquet(dir.resolve("offline").toString()).count())
        .isEqualTo(4);
  }
}
