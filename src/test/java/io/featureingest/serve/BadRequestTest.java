package io.featureingest.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every refused request answers JSON naming the bad field; the server keeps serving. */
class BadRequestTest {
  @TempDir static Path dir;
  static ServedRepo repo;

  @BeforeAll
  static void start() {
    repo = new ServedRepo(dir, "{ type = sqlite, path = \"" + dir.resolve("online.db") + "\" }");
  }

  @AfterAll
  static void stop() {
    repo.close();
  }

  static final String GET = "/get-online-features";

  @ParameterizedTest(name = "{1} {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/get-online-features|unknown_table|features[1]|{\"features\": [\"driver_trips:trips\","
            + " \"nope:trips\"], \"entities\": {\"driver_id\": [1]}}",
        "/get-online-features|unknown_feature|features[0]|{\"features\": [\"driver_trips:rides\"],"
            + " \"entities\": {\"driver_id\": [1]}}",
        "/get-online-features|wrong_entity_type|entities.driver_id[1]|{\"features\":"
            + " [\"driver_trips:trips\"], \"entities\": {\"driver_id\": [1, \"one\"]}}",
        "/get-online-features|wrong_entity_type|entities.driver_id[0]|{\"features\":"
            + " [\"driver_trips:trips\"], \"entities\": {\"driver_id\": [1.5]}}",
        "/get-online-features|wrong_entity_type|entities.item_id[0]|{\"features\":"
            + " [\"pairs:score\"], \"entities\": {\"user_id\": [\"u\"], \"item_id\": [3000000000]}}",
        "/get-online-features|missing_entity|entities.item_id|{\"features\": [\"pairs:score\"],"
            + " \"entities\": {\"user_id\": [\"u\"]}}",
        "/get-online-features|null_entity|entities.driver_id[0]|{\"features\":"
            + " [\"driver_trips:trips\"], \"entities\": {\"driver_id\": [null]}}",
        "/get-online-features|unknown_entity|entities.rider_id|{\"features\":"
            + " [\"driver_trips:trips\"], \"entities\": {\"driver_id\": [1], \"rider_id\": [2]}}",
        "/get-online-features|bad_json|entities.user_id|{\"features\": [\"pairs:score\"],"
            + " \"entities\": {\"item_id\": [1, 2], \"user_id\": [\"u\"]}}",
        "/get-online-features|bad_feature_reference|features[0]|{\"features\": [\"trips\"],"
            + " \"entities\": {\"driver_id\": [1]}}",
        "/get-online-features|duplicate_feature|features[1]|{\"features\": [\"driver_trips:trips\","
            + " \"driver_trips:trips\"], \"entities\": {\"driver_id\": [1]}}",
        "/get-online-features|unknown_feature_service|feature_service|{\"feature_service\":"
            + " \"nope\", \"entities\": {\"driver_id\": [1]}}",
        "/get-online-features|bad_json|features|{\"entities\": {\"driver_id\": [1]}}",
        "/get-online-features|bad_json||{\"features\": [\"driver_trips:trips\"",
        "/get-online-features|bad_json||{\"features\": [], \"features\": []}",
        "/push|unknown_push_source|push_source_name|{\"push_source_name\": \"nope\", \"df\":"
            + " {\"driver_id\": [1]}}",
        "/push|missing_column|df.trips|{\"push_source_name\": \"driver_trips\", \"df\":"
            + " {\"driver_id\": [1], \"event_ts\": [\"2026-01-01\"], \"driver_rating\": [1.0]}}",
        "/push|missing_column|df.event_ts|{\"push_source_name\": \"driver_trips\", \"df\":"
            + " {\"driver_id\": [1], \"driver_rating\": [1.0], \"trips\": [1]}}",
        "/push|wrong_type|df.trips[1]|{\"push_source_name\": \"driver_trips\", \"df\":"
            + " {\"driver_id\": [1, 2], \"event_ts\": [\"2026-01-01\", \"2026-01-01\"],"
            + " \"driver_rating\": [1.0, 2.0], \"trips\": [1, 2.5]}}",
        "/push|wrong_type|df.driver_rating[0]|{\"push_source_name\": \"driver_trips\", \"df\":"
            + " {\"driver_id\": [1], \"event_ts\": [\"2026-01-01\"], \"driver_rating\": [0.1234567891],"
            + " \"trips\": [1]}}",
        "/push|wrong_type|df.event_ts[0]|{\"push_source_name\": \"driver_trips\", \"df\":"
            + " {\"driver_id\": [1], \"event_ts\": [\"yesterday\"], \"driver_rating\": [1.0],"
            + " \"trips\": [1]}}",
        "/push|null_value|df.driver_id[0]|{\"push_source_name\": \"driver_trips\", \"df\":"
            + " {\"driver_id\": [null], \"event_ts\": [\"2026-01-01\"], \"driver_rating\": [1.0],"
            + " \"trips\": [1]}}",
        "/push|unsupported_push_mode|to|{\"push_source_name\": \"driver_trips\", \"to\":"
            + " \"offline\", \"df\": {\"driver_id\": [1]}}",
      })
  void answers400NamingTheField(String path, String code, String field, String body) {
    ServedRepo.Answer a = repo.post(path, body);
    assertThat(a.status()).as(a.body().toString()).isEqualTo(400);
    assertThat(a.body().get("error").asText()).isEqualTo(code);
    assertThat(a.body().get("field").asText()).isEqualTo(field == null ? "" : field);
    assertThat(a.body().get("message").asText()).isNotBlank();
    // the server is fine afterwards
    assertThat(
            repo.post(
                    GET,
                    "{\"features\": [\"driver_trips:trips\"], \"entities\": {\"driver_id\": [1]}}")
                .status())
        .isEqualTo(200);
  }

  @ParameterizedTest
  @CsvSource({"GET,/get-online-features,405", "GET,/nowhere,404", "POST,/health,405"})
  void wrongPathsAndMethods(String method, String path, int status) {
    ServedRepo.Answer a = method.equals("GET") ? repo.get(path) : repo.post(path, "{}");
    assertThat(a.status()).isEqualTo(status);
    assertThat(a.body().get("message").asText()).contains(path);
  }
}
