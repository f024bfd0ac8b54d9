package io.featureingest.serve;

import io.featureingest.testing.RedisServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;

class RedisFeatureServerTest extends FeatureServerContract {
  private RedisServer redis;

  @Override
  String onlineStore(Path dir) {
    redis = RedisServer.start();
    return "{ type = redis, host = \"127.0.0.1\", port = " + redis.port() + " }";
  }

  @AfterAll
  void stopRedis() {
    if (redis != null) {
      redis.close();
    }
  }
}
