package io.featureingest.serve;

import static io.featureingest.serve.ServedRepo.column;
import static org.assertj.core.api.Assertions.assertThat;

import io.featureingest.testing.CliRun;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

class SqliteFeatureServerTest extends FeatureServerContract {
  @Override
  String onlineStore(Path dir) {
    return "{ type = sqlite, path = \"" + dir.resolve("online.db") + "\" }";
  }

  /** SQLite keeps a row past max_age (Redis expires it): the answer says how old it is. */
  @Test
  void aRowOlderThanMaxAgeIsServedWithoutItsValue() {
    Instant old = Instant.now().minusSeconds(3 * 24 * 3600).truncatedTo(ChronoUnit.SECONDS);
    String push =
        "{\"push_source_name\": \"driver_trips\", \"df\": {\"driver_id\": [6001],"
            + " \"event_ts\": [\"%s\"], \"driver_rating\": [3.5], \"trips\": [3]}}";
    assertThat(written(repo.post("/push", push.formatted(old)))).isEqualTo(1);
    ServedRepo.Answer read =
        repo.post(
            "/get-online-features",
            "{\"features\": [\"driver_trips:driver_rating\"], \"entities\": {\"driver_id\":"
                + " [6001]}}");
    JsonNodeColumn rating = new JsonNodeColumn(column(read.body(), "driver_rating"));
    assertThat(rating.values()).isEqualTo("[null]");
    assertThat(rating.statuses()).isEqualTo("[\"OUTSIDE_MAX_AGE\"]");
    assertThat(rating.timestamp(0)).isEqualTo(old.toString());
  }

  /**
   * The server keeps its store open between requests; a job opening the same file to write (here
   * online-get, whose open creates the schema) must not wait on a lock the server holds.
   */
  @Test
  void aJobCanWriteTheFileWhileTheServerHoldsItOpen() {
    assertThat(
            repo.post(
                    "/push",
                    "{\"push_source_name\": \"driver_trips\", \"df\": {\"driver_id\": [6101],"
                        + " \"event_ts\": [\""
                        + Instant.now()
                        + "\"], \"driver_rating\": [1.0],"
                        + " \"trips\": [1]}}")
                .status())
        .isEqualTo(200);
    CliRun get =
        CliRun.of(
            "online-get",
            "driver_trips",
            "--entity",
            "driver_id=6101",
            "--config",
            repo.config.toString(),
            "--set",
            "online_store.busy_timeout_ms=1000",
            "--set",
            "online_store.max_attempts=1");
    assertThat(get.exitCode()).as(get.err()).isZero();
    assertThat(get.out()).contains("\"driver_rating\": 1.0");
  }

  record JsonNodeColumn(com.fasterxml.jackson.databind.JsonNode col) {
    String values() {
      return col.get("values").toString();
    }

    String statuses() {
      return col.get("statuses").toString();
    }

    String timestamp(int row) {
      return col.get("event_timestamps").get(row).asText();
    }
  }
}
