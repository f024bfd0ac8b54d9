package io.featureingest.serve;

import static io.featureingest.serve.ServedRepo.column;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.featureingest.spec.ValueType;
import io.featureingest.testing.CliRun;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the feature server answers over any online store, through a real HTTP client: Feast's
 * response shape, the same values as {@code online-get} for every value type, feature lists, full
 * feature names, and pushes that keep the newer-wins rule. Each store's test class says how to
 * reach its store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FeatureServerContract {
  ServedRepo repo;

  /** The config's {@code online_store { ... }} object for this store. */
  abstract String onlineStore(Path dir);

  @BeforeAll
  void startServer(@TempDir Path dir) {
    repo = new ServedRepo(dir, onlineStore(dir));
  }

  @AfterAll
  void stopServer() {
    if (repo != null) {
      repo.close();
    }
  }

  /** One row per pushed id: every value type, with nulls, empty lists and null elements. */
  static final String ALL_TYPES_DF =
      """
      {"id": [1, 2, 3],
       "event_ts": ["2026-01-01T00:00:00Z", "2026-01-02 10:59:42", 1767225600],
       "f_bytes": ["aGVsbG8=", "", null],
       "f_string": ["h\\u00e9llo \\u2713", "", null],
       "f_int32": [2147483647, -1, null],
       "f_int64": [9007199254740993, -9223372036854775808, null],
       "f_double": [3.141592653589793, 1.0E300, null],
       "f_float": [4.7, 16777216, null],
       "f_bool": [true, false, null],
       "f_unix_timestamp": ["2021-04-12T10:59:42Z", 1618225182, null],
       "f_bytes_list": [["AQI=", null], [], null],
       "f_string_list": [["a", null, "c"], [], null],
       "f_int32_list": [[1, -2, null], [], null],
       "f_int64_list": [[9007199254740993, null], [], null],
       "f_double_list": [[0.5, null, -2.25], [], null],
       "f_float_list": [[0.5, 4.7], [], null],
       "f_bool_list": [[true, null, false], [], null],
       "f_unix_timestamp_list": [["2021-04-12 10:59:42", 0, null], [], null]}""";

  @Test
  void everyValueTypeAnswersWhatOnlineGetPrints() {
    ServedRepo.Answer pushed =
        repo.post(
            "/push",
            "{\"push_source_name\": \"all_types\", \"to\": \"online\", \"df\": "
                + ALL_TYPES_DF
                + "}");
    assertThat(pushed.status()).as(pushed.body().toString()).isEqualTo(200);
    assertThat(pushed.body().get("rows_written").asLong()).isEqualTo(3);

    List<String> features = new ArrayList<>();
    for (ValueType t : ValueType.values()) {
      features.add("\"all_types:" + ServedRepo.feature(t) + "\"");
    }
    ServedRepo.Answer answer =
        repo.post(
            "/get-online-features",
            "{\"features\": " + features + ", \"entities\": {\"id\": [1, 2, 3, 404]}}");
    assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
    JsonNode body = answer.body();
    assertThat(body.get("metadata").get("feature_names").get(0).asText()).isEqualTo("id");
    assertThat(column(body, "id").get("values").toString()).isEqualTo("[1,2,3,404]");

    CliRun cli =
        CliRun.of(
            "online-get",
            "all_types",
            "--entity",
            "id=1",
            "--entity",
            "id=2",
            "--entity",
            "id=3",
            "--entity",
            "id=404",
            "--config",
            repo.config.toString());
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    String[] lines = cli.out().strip().split("\n");
    assertThat(lines).hasSize(4);
    for (int row = 0; row < 4; row++) {
      JsonNode printed = read(lines[row]);
      for (ValueType t : ValueType.values()) {
        JsonNode col = column(body, ServedRepo.feature(t));
        JsonNode served = col.get("values").get(row);
        JsonNode expected = printed.get("features").get(ServedRepo.feature(t));
        assertThat(sameValue(served, expected, t))
            .as("%s row %d: served %s, online-get %s", t, row, served, expected)
            .isTrue();
        String status = col.get("statuses").get(row).asText();
        if (printed.get("event_timestamp").isNull()) {
          assertThat(status).isEqualTo("NOT_FOUND");
          assertThat(col.get("event_timestamps").get(row).asText())
              .isEqualTo("1970-01-01T00:00:00Z");
        } else {
          assertThat(status).isEqualTo(expected.isNull() ? "NULL_VALUE" : "PRESENT");
          assertThat(col.get("event_timestamps").get(row).asText())
              .isEqualTo(printed.get("event_timestamp").asText());
        }
      }
    }
    // a few values spelled out, so that the comparison cannot pass on two equal mistakes
    assertThat(column(body, "f_int64").get("values").get(0).asLong()).isEqualTo(9007199254740993L);
    assertThat(column(body, "f_float").get("values").get(0).toString()).isEqualTo("4.7");
    assertThat(column(body, "f_bytes").get("values").get(0).asText()).isEqualTo("aGVsbG8=");
    assertThat(column(body, "f_unix_timestamp").get("values").get(1).asLong())
        .isEqualTo(1618225182L);
    assertThat(column(body, "f_string_list").get("values").get(0).toString())
        .isEqualTo("[\"a\",null,\"c\"]");
    assertThat(column(body, "f_bool").get("event_timestamps").get(1).asText())
        .isEqualTo("2026-01-02T10:59:42Z");
  }

  @Test
  void featureListsFullNamesAndTwoEntityKeys() {
    String now = Instant.now().toString();
    assertThat(
            repo.post(
                    "/push",
                    "{\"push_source_name\": \"driver_stats_push_source\", \"df\": {\"driver_id\":"
                        + " [7001], \"event_ts\": [\""
                        + now
                        + "\"], \"driver_rating\": [4.5], \"trips\": [12]}}")
                .status())
        .isEqualTo(200);
    assertThat(
            repo.post(
                    "/push",
                    "{\"push_source_name\": \"pairs\", \"df\": {\"user_id\": [\"u1\", \"u1\"],"
                        + " \"item_id\": [1, 2], \"event_ts\": [\"2026-01-01\", \"2026-01-01\"],"
                        + " \"score\": [0.25, 0.75]}}")
                .status())
        .isEqualTo(200);

    ServedRepo.Answer listed =
        repo.post(
            "/get-online-features",
            "{\"feature_service\": \"activity\", \"full_feature_names\": true,"
                + " \"entities\": {\"driver_id\": [7001, 7002]}}");
    assertThat(listed.status()).as(listed.body().toString()).isEqualTo(200);
    assertThat(listed.body().get("metadata").get("feature_names").toString())
        .isEqualTo("[\"driver_id\",\"driver_trips__driver_rating\",\"driver_trips__trips\"]");
    JsonNode trips = column(listed.body(), "driver_trips__trips");
    assertThat(trips.get("values").toString()).isEqualTo("[12,null]");
    assertThat(trips.get("statuses").toString()).isEqualTo("[\"PRESENT\",\"NOT_FOUND\"]");

    ServedRepo.Answer both =
        repo.post(
            "/get-online-features",
            "{\"features\": [\"pairs:score\", \"driver_trips:trips\"], \"entities\":"
                + " {\"user_id\": [\"u1\", \"u1\"], \"item_id\": [2, 3], \"driver_id\": [7001,"
                + " 7001]}}");
    assertThat(both.status()).as(both.body().toString()).isEqualTo(200);
    assertThat(both.body().get("metadata").get("feature_names").toString())
        .isEqualTo("[\"user_id\",\"item_id\",\"driver_id\",\"score\",\"trips\"]");
    assertThat(column(both.body(), "score").get("values").toString()).isEqualTo("[0.75,null]");
    assertThat(column(both.body(), "trips").get("values").toString()).isEqualTo("[12,12]");
  }

  @Test
  void aPushLandsOnlyWhenNewerThanTheStoredRow() {
    String body =
        "{\"push_source_name\": \"driver_trips\", \"df\": {\"driver_id\": [8001],"
            + " \"event_ts\": [\"%s\"], \"created_ts\": [\"%s\"], \"driver_rating\": [%s],"
            + " \"trips\": [1]}}";
    Instant t = Instant.now().minusSeconds(60);
    assertThat(written(repo.post("/push", body.formatted(t, t, "1.0")))).isEqualTo(1);
    assertThat(written(repo.post("/push", body.formatted(t, t, "2.0")))).isZero(); // equal: no-op
    assertThat(written(repo.post("/push", body.formatted(t.minusSeconds(5), t, "3.0")))).isZero();
    assertThat(written(repo.post("/push", body.formatted(t, t.plusSeconds(1), "4.0"))))
        .isEqualTo(1);
    // two rows for one key in one push: the newer one is written, whatever their order
    String two =
        "{\"push_source_name\": \"driver_trips\", \"df\": {\"driver_id\": [8001, 8001],"
            + " \"event_ts\": [\"%s\", \"%s\"], \"driver_rating\": [5.0, 6.0], \"trips\": 2}}";
    ServedRepo.Answer pushed =
        repo.post("/push", two.formatted(t.plusSeconds(20), t.plusSeconds(10)));
    assertThat(pushed.body().get("rows").asLong()).isEqualTo(2);
    assertThat(written(pushed)).isEqualTo(1);
    ServedRepo.Answer read =
        repo.post(
            "/get-online-features",
            "{\"features\": [\"driver_trips:driver_rating\", \"driver_trips:trips\"],"
                + " \"entities\": {\"driver_id\": [8001]}}");
    assertThat(column(read.body(), "driver_rating").get("values").toString()).isEqualTo("[5.0]");
    assertThat(column(read.body(), "trips").get("values").toString()).isEqualTo("[2]");
  }

  @Test
  void healthAndMetrics() {
    assertThat(repo.get("/health").status()).isEqualTo(200);
    repo.post(
        "/get-online-features",
        "{\"features\": [\"driver_trips:trips\"], \"entities\": {\"driver_id\": [9901, 9902]}}");
    String metrics = repo.text("/metrics");
    assertThat(metrics)
        .contains("# TYPE feature_server_request_duration_seconds histogram")
        .containsPattern(
            "feature_server_requests_total\\{endpoint=\"/get-online-features\",code=\"200\"} [1-9]")
        .containsPattern("feature_server_feature_values_total\\{status=\"NOT_FOUND\"} [1-9]")
        .contains("feature_server_feature_values_total{status=\"PRESENT\"}")
        .containsPattern(
            "feature_server_request_duration_seconds_bucket\\{endpoint=\"/get-online-features\","
                + "le=\"\\+Inf\"} [1-9]");
  }

  static long written(ServedRepo.Answer a) {
    assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
    return a.body().get("rows_written").asLong();
  }

  static JsonNode read(String json) {
    try {
      return ServedRepo.JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The same value: numbers by value, UNIX_TIMESTAMP as epoch seconds against online-get's ISO. */
  static boolean sameValue(JsonNode served, JsonNode printed, ValueType type) {
    if (served.isNull() || printed.isNull()) {
      return served.isNull() && printed.isNull();
    }
    if (type.isList()) {
      if (!served.isArray() || served.size() != printed.size()) {
        return false;
      }
      for (int i = 0; i < served.size(); i++) {
        if (!sameValue(served.get(i), printed.get(i), type.elementType())) {
          return false;
        }
      }
      return true;
    }
    if (type == ValueType.UNIX_TIMESTAMP) {
      return served.asLong() == Instant.parse(printed.asText()).getEpochSecond();
    }
    if (served.isNumber() && printed.isNumber()) {
      return served.decimalValue().compareTo(printed.decimalValue()) == 0;
    }
    return served.equals(printed);
  }
}
