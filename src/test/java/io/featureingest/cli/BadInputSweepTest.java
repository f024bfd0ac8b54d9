package io.featureingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.featureingest.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A table of bad invocations and bad specs: each gets exit code 2 and a short message that names
 * the problem, never a stack trace.
 */
class BadInputSweepTest {
  @TempDir static Path dir;

  private static final String TABLE_HEAD = "registry.path = \"REG\"\nfeature_tables.t {\n";
  private static final String ENTITIES = "  entities = [ { name = id, type = INT64 } ]\n";
  private static final String FEATURES = "  features = [ { name = f, type = FLOAT } ]\n";
  private static final String BATCH =
      "  batch_source { type = file, format = parquet, path = x, event_timestamp_column = ts }\n";

  static Stream<Arguments> badSpecs() {
    return Stream.of(
        Arguments.of("empty file", "", "declares no feature_tables"),
        Arguments.of(
            "wrong HOCON syntax", "feature_tables { t { entities = [ }", "not valid HOCON"),
        Arguments.of("unterminated string", "project = \"abc", "not valid HOCON"),
        Arguments.of(
            "unknown table key",
            TABLE_HEAD + ENTITIES + FEATURES + BATCH + "  max_agee = 2d\n}",
            "feature_tables.t.max_agee: unknown key"),
        Arguments.of(
            "unknown source key",
            TABLE_HEAD
                + ENTITIES
                + FEATURES
                + "  batch_source { type = file, format = parquet, path = x, event_timestamp_column = ts, pth = y }\n}",
            "feature_tables.t.batch_source.pth: unknown key"),
        Arguments.of(
            "entities is a string",
            TABLE_HEAD + "  entities = id\n" + FEATURES + BATCH + "}",
            "feature_tables.t.entities: expected a list"),
        Arguments.of(
            "feature is a string",
            TABLE_HEAD + ENTITIES + "  features = [ f ]\n" + BATCH + "}",
            "feature_tables.t.features[0]: expected an object"),
        Arguments.of(
            "labels is a list",
            TABLE_HEAD + ENTITIES + FEATURES + BATCH + "  labels = [a]\n}",
            "feature_tables.t.labels: expected an object"),
        Arguments.of("missing features", TABLE_HEAD + ENTITIES + BATCH + "}", "no features"),
        Arguments.of(
            "missing entity type",
            TABLE_HEAD + "  entities = [ { name = id } ]\n" + FEATURES + BATCH + "}",
            "feature_tables.t.entities[0].type: required key is missing"),
        Arguments.of(
            "missing path",
            TABLE_HEAD
                + ENTITIES
                + FEATURES
                + "  batch_source { type = file, format = parquet, event_timestamp_column = ts }\n}",
            "feature_tables.t.batch_source.path: required key is missing"),
        Arguments.of(
            "zero max_age",
            TABLE_HEAD + ENTITIES + FEATURES + BATCH + "  max_age = 0s\n}",
            "max_age must be positive"),
        Arguments.of(
            "absurd max_age",
            TABLE_HEAD + ENTITIES + FEATURES + BATCH + "  max_age = 99999999999999d\n}",
            "is longer than 100 years"),
        Arguments.of(
            "max_age without unit word",
            TABLE_HEAD + ENTITIES + FEATURES + BATCH + "  max_age = \"2 fortnights\"\n}",
            "feature_tables.t.max_age: expected a duration"),
        Arguments.of(
            "boolean that is not",
            TABLE_HEAD
                + ENTITIES
                + FEATURES
                + BATCH
                + "  stream_source { type = kafka, bootstrap_servers = b, topic = t, event_timestamp_column = ts,"
                + " format { type = avro, schema_json = \"{}\" }, log_to_batch_source = maybe }\n}",
            "feature_tables.t.stream_source.log_to_batch_source: expected true or false"),
        Arguments.of(
            "unknown online store",
            "registry.path = \"REG\"\nonline_store.type = cassandra\n",
            "online_store.type: expected sqlite or redis, got 'cassandra'"),
        Arguments.of(
            "port out of range",
            "registry.path = \"REG\"\nonline_store { type = redis, port = 70000 }\n",
            "online_store.port: expected a TCP port"),
        Arguments.of(
            "port not a number",
            "registry.path = \"REG\"\nonline_store { type = redis, port = sixty }\n",
            "online_store.port: expected a whole number"),
        Arguments.of(
            "unresolved substitution",
            "registry.path = ${NO_SUCH_VARIABLE_ANYWHERE}\n",
            "NO_SUCH_VARIABLE_ANYWHERE"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSpecs")
  void badSpecsExitTwoWithOneMessage(String name, String content, String expected)
      throws Exception {
    Path conf = dir.resolve(name.replace(' ', '_') + ".conf");
    Files.writeString(
        conf, content.replace("REG", dir.resolve("reg-" + name.replace(' ', '_')).toString()));
    assertUserError(CliRun.of("apply", "--config", conf.toString()), expected);
  }

  static Stream<Arguments> badInvocations() {
    return Stream.of(
        Arguments.of(List.of("frobnicate"), "Unmatched argument at index 0: 'frobnicate'"),
        Arguments.of(List.of("describe"), "Missing required parameter: 'TABLE'"),
        Arguments.of(
            List.of("describe", "t", "--format", "xml"), "Invalid value for option '--format'"),
        Arguments.of(List.of("ingest", "t"), "Missing required option: '--input=PATH'"),
        Arguments.of(
            List.of("materialize", "t", "--start", "2020-01-01"),
            "Missing required option: '--end=TS'"),
        Arguments.of(List.of("materialize"), "Missing required options and parameters"),
        Arguments.of(List.of("retrieve", "--entities", "e.csv"), "Missing required options"),
        Arguments.of(List.of("online-get", "t"), "Missing required option: '--entity"),
        Arguments.of(List.of("apply", "--set"), "Missing required parameter for option '--set'"),
        Arguments.of(List.of("apply", "--set", "novalue"), "--set novalue: expected key=value"),
        Arguments.of(
            List.of("apply", "--config"), "Missing required parameter for option '--config'"),
        Arguments.of(
            List.of("ingest", "t", "--input", "x", "--max-invalid-fraction", "lots"),
            "Invalid value for option '--max-invalid-fraction'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInvocations")
  void badInvocationsExitTwoWithOneMessage(List<String> args, String expected) {
    assertUserError(CliRun.of(args.toArray(String[]::new)), expected);
  }

  /** A port on 127.0.0.1 that nothing listens on: bound, then closed. */
  static int closedPort() throws java.io.IOException {
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static Stream<Arguments> unreachableStreamSources() throws java.io.IOException {
    int port = closedPort();
    return Stream.of(
        Arguments.of(
            "kafka",
            "type = kafka, bootstrap_servers = \"127.0.0.1:"
                + port
                + "\", topic = trips, options { \"default.api.timeout.ms\" = 3000 }",
            List.of(
                "bootstrap servers 127.0.0.1:" + port, "topic trips", "no answer within 3000 ms")),
        Arguments.of(
            "kinesis",
            "type = kinesis, stream_name = trips, region = us-east-1,"
                + " endpoint = \"http://127.0.0.1:"
                + port
                + "\", options { awsAccessKeyId = test, awsSecretKey = test }",
            List.of("stream trips", "endpoint http://127.0.0.1:" + port, "region us-east-1")));
  }

  /**
   * Issue 22: an unreachable stream source ended with exit 1 after minutes of retry traces. It is
   * exit 4 with one message naming the source, within the probe's timeout (15 s by default, 3 s
   * here; UnreachableStoresIT runs the default through SparkSubmit).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("unreachableStreamSources")
  void unreachableStreamSourcesExitFourWithOneMessage(
      String name, String source, List<String> expected) throws Exception {
    Path conf = dir.resolve("unreachable-" + name + ".conf");
    Path base = dir.resolve("unreachable-" + name);
    Files.writeString(
        conf,
        """
        registry.path = "%1$s/registry"
        online_store { type = sqlite, path = "%1$s/online.db" }
        feature_tables.t {
          entities = [ { name = id, type = INT64 } ]
          features = [ { name = f, type = DOUBLE } ]
          batch_source { type = file, format = parquet, path = "%1$s/offline", event_timestamp_column = ts }
          stream_source {
            %2$s
            format { type = avro, schema_json = \"\"\"{"type": "record", "name": "T", "fields": [
              {"name": "id", "type": "long"}, {"name": "f", "type": "double"},
              {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-millis"}}]}\"\"\" }
            event_timestamp_column = ts
          }
        }
        """
            .formatted(base, source));
    long started = System.nanoTime();
    CliRun run = CliRun.of("stream", "t", "--available-now", "--config", conf.toString());
    long seconds = (System.nanoTime() - started) / 1_000_000_000L;

    assertThat(run.exitCode()).as(run.err()).isEqualTo(4);
    // Besides the message, err holds log lines when this run is the one that starts logging.
    List<String> lines = run.err().strip().lines().toList();
    assertThat(lines).as(run.err()).hasSizeLessThan(6);
    assertThat(lines.stream().filter(l -> l.startsWith("feature-ingest: ")))
        .as(run.err())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains(expected);
    assertThat(run.err()).doesNotContain("\tat ");
    assertThat(seconds).as("seconds until exit 4").isLessThan(60);
    assertThat(base.resolve("offline/_checkpoints/stream/commits")).doesNotExist();
  }

  private static void assertUserError(CliRun run, String expected) {
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    List<String> lines = new ArrayList<>(run.err().strip().lines().toList());
    lines.removeIf(l -> l.startsWith("Try 'feature-ingest"));
    assertThat(lines).as(run.err()).hasSize(1);
    assertThat(lines.get(0)).startsWith("feature-ingest: ").contains(expected);
    assertThat(run.err()).doesNotContain("\tat ").doesNotContain("Exception");
  }
}
