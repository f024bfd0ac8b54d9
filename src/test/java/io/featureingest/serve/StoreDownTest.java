package io.featureingest.serve;

import static io.featureingest.serve.ServedRepo.column;
import static org.assertj.core.api.Assertions.assertThat;

import io.featureingest.testing.RedisServer;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Redis that goes down answers 503; once it is back on its port the server serves again. */
class StoreDownTest {
  @TempDir Path dir;

  @Test
  void answers503WhileRedisIsDownAndRecoversWhenItIsBack() {
    String read = "{\"features\": [\"driver_trips:trips\"], \"entities\": {\"driver_id\": [5001]}}";
    String push =
        "{\"push_source_name\": \"driver_trips\", \"df\": {\"driver_id\": [5001], \"event_ts\": [\""
            + Instant.now()
            + "\"], \"driver_rating\": [2.0], \"trips\": [%d]}}";
    try (RedisServer redis = RedisServer.startPersistent();
        ServedRepo repo =
            new ServedRepo(
                dir,
                "{ type = redis, host = \"127.0.0.1\", port = "
                    + redis.port()
                    + ", timeout_ms = 1000 }")) {
      assertThat(repo.post("/push", push.formatted(5)).status()).isEqualTo(200);
      assertThat(repo.post("/get-online-features", read).status()).isEqualTo(200);

      redis.kill();
      for (String path : new String[] {"/get-online-features", "/push"}) {
        long start = System.nanoTime();
        ServedRepo.Answer down = repo.post(path, path.equals("/push") ? push.formatted(6) : read);
        assertThat(down.status()).as(down.body().toString()).isEqualTo(503);
        assertThat(down.body().get("error").asText()).isEqualTo("store_unavailable");
        assertThat(down.body().get("message").asText()).contains("redis 127.0.0.1:" + redis.port());
        // serve.store_max_attempts = 2: one retry after 100 ms, not a job's 1.5 s of backoff
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1_500);
      }
      assertThat(repo.get("/health").status()).isEqualTo(200);

      redis.startAgain();
      ServedRepo.Answer back = repo.post("/get-online-features", read);
      assertThat(back.status()).as(back.body().toString()).isEqualTo(200);
      // the persistent server kept the pushed row
      assertThat(column(back.body(), "trips").get("values").toString()).isEqualTo("[5]");
      assertThat(repo.text("/metrics"))
          .contains(
              "feature_server_requests_total{endpoint=\"/get-online-features\",code=\"503\"} 1");
    }
  }
}
