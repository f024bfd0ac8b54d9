package io.featureingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.featureingest.testing.CliRun;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  @TempDir Path dir;

  private static String example() {
    return new File(System.getProperty("featureingest.projectDir", "."), "conf/feature_repo.conf")
        .getPath();
  }

  private String[] withRegistry(String... args) {
    String[] out = java.util.Arrays.copyOf(args, args.length + 2);
    out[args.length] = "--set";
    out[args.length + 1] = "registry.path=\"" + dir.resolve("registry") + "\"";
    return out;
  }

  private static void assertUserError(CliRun run, int code, String message) {
    assertThat(run.exitCode()).as(run.err()).isEqualTo(code);
    assertThat(run.err()).contains(message);
    assertThat(run.err()).doesNotContain("\tat ").doesNotContain("Exception");
  }

  @Test
  void applyListDescribeDelete() {
    CliRun apply = CliRun.of(withRegistry("apply", "--config", example()));
    assertThat(apply.exitCode()).as(apply.err()).isZero();
    assertThat(apply.summaryLine())
        .startsWith("{\"command\": \"apply\",\"status\": \"succeeded\"")
        .contains("\"tables_created\": 2");

    CliRun list = CliRun.of(withRegistry("list", "--config", example()));
    assertThat(list.out()).contains("customer_profile").contains("driver_trips");

    CliRun yaml = CliRun.of(withRegistry("describe", "driver_trips", "--config", example()));
    assertThat(yaml.exitCode()).isZero();
    assertThat(yaml.out())
        .contains(
            "spec:\n  name: driver_trips\n  entities:\n    - name: driver_id\n      type: INT64")
        .contains("meta:\n  created_timestamp:");

    // global flags are accepted before the command too
    CliRun json =
        CliRun.of(
            withRegistry("--config", example(), "describe", "driver_trips", "--format", "json"));
    assertThat(json.out())
        .contains("\"spec\": {")
        .contains("\"max_age\": \"2d\"")
        .contains("\"last_updated_timestamp\"");

    assertThat(
            CliRun.of(withRegistry("delete", "customer_profile", "--config", example())).exitCode())
        .isZero();
    assertThat(CliRun.of(withRegistry("list", "--config", example())).out())
        .doesNotContain("customer_profile");
  }

  @Test
  void summaryFileForXcom() throws Exception {
    Path summary = dir.resolve("out/summary.json");
    CliRun run =
        CliRun.of(withRegistry("apply", "--config", example(), "--summary", summary.toString()));
    assertThat(run.exitCode()).isZero();
    assertThat(Files.readString(summary).strip()).isEqualTo(run.summaryLine());
  }

  @Test
  void badFlag() {
    assertUserError(
        CliRun.of("describe", "driver_trips", "--colour", "red"),
        2,
        "Unknown options: '--colour', 'red'");
  }

  @Test
  void unknownCommand() {
    assertUserError(CliRun.of("materialise"), 2, "Unmatched argument at index 0: 'materialise'");
  }

  @Test
  void noCommand() {
    assertUserError(CliRun.of(), 2, "no command given");
  }

  @Test
  void missingConfigFile() {
    assertUserError(
        CliRun.of("apply", "--config", "/no/such.conf"), 2, "--config /no/such.conf: no such file");
  }

  @Test
  void badSpec() throws Exception {
    Path conf = dir.resolve("bad.conf");
    Files.writeString(
        conf,
        """
        registry.path = "%s"
        feature_tables.t {
          entities = [ { name = id, type = INT64 } ]
          features = [ { name = f, type = FLOT } ]
          batch_source { type = file, format = parquet, path = x, event_timestamp_column = ts }
        }
        """
            .formatted(dir.resolve("registry")));
    assertUserError(
        CliRun.of("apply", "--config", conf.toString()),
        2,
        "feature_tables.t.features[0].type: expected one of BYTES");
  }

  @Test
  void invalidHocon() throws Exception {
    Path conf = dir.resolve("broken.conf");
    Files.writeString(conf, "feature_tables { t { entities = [ }");
    assertUserError(CliRun.of("apply", "--config", conf.toString()), 2, "not valid HOCON");
  }

  @Test
  void unknownTable() {
    CliRun apply = CliRun.of(withRegistry("apply", "--config", example()));
    assertThat(apply.exitCode()).isZero();
    assertUserError(
        CliRun.of(withRegistry("describe", "driver_tripz", "--config", example())),
        2,
        "table 'driver_tripz' is not applied");
    assertUserError(
        CliRun.of(withRegistry("delete", "driver_tripz", "--config", example())),
        2,
        "table 'driver_tripz' is not applied");
  }

  @Test
  void unknownTableNamesWhereItLookedAndTheKnownTables() {
    CliRun get =
        CliRun.of(
            withRegistry(
                "online-get", "driver_tripz", "--entity", "driver_id=1", "--config", example()));
    assertUserError(
        get,
        2,
        "nor declared under feature_tables in the config; known tables: customer_profile,"
            + " driver_trips");
    assertThat(get.err())
        .contains("unknown table 'driver_tripz': it is neither applied in the registry at ")
        .contains(dir.resolve("registry").toString());
    assertUserError(
        CliRun.of(withRegistry("apply", "driver_tripz", "--config", example())),
        2,
        "unknown table 'driver_tripz': it is not declared under feature_tables in the config;"
            + " known tables: customer_profile, driver_trips");
  }

  @Test
  void helpOnEveryCommand() {
    for (String command :
        new String[] {
          "apply",
          "list",
          "describe",
          "delete",
          "ingest",
          "materialize",
          "materialize-incremental",
          "push",
          "stream",
          "retrieve",
          "online-get"
        }) {
      CliRun help = CliRun.of(command, "--help");
      assertThat(help.exitCode()).as(command).isZero();
      assertThat(help.out()).as(command).contains("Usage: feature-ingest " + command);
    }
  }
}
