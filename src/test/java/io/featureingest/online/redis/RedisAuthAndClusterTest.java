package io.featureingest.online.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featureingest.online.OnlineRecord;
import io.featureingest.online.OnlineStore;
import io.featureingest.online.OnlineStoreContract;
import io.featureingest.online.OnlineTable;
import io.featureingest.spec.ConfigException;
import io.featureingest.spec.RedisStoreConfig;
import io.featureingest.testing.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** AUTH with a password, with an ACL user, and Redis Cluster, against real servers. */
class RedisAuthAndClusterTest {
  static void roundTrip(RedisStoreConfig config) {
    OnlineTable t = OnlineStoreContract.driverTable("auth", 0);
    List<OnlineRecord> records = new ArrayList<>();
    List<List<Object>> keys = new ArrayList<>();
    for (long k = 0; k < 500; k++) {
      records.add(OnlineStoreContract.rec(k, OnlineStoreContract.v(k, 1L), 1f, (int) k, "v" + k));
      keys.add(List.of(k));
    }
    try (OnlineStore store = RedisOnlineStore.opener(config).open()) {
      assertThat(store.write(t, records)).isEqualTo(500);
      assertThat(store.write(t, records)).isZero();
      List<Optional<OnlineRecord>> back = store.read(t, keys);
      for (int k = 0; k < 500; k++) {
        assertThat(back.get(k).orElseThrow().values().get(2)).isEqualTo("v" + k);
      }
    }
  }

  @Test
  void passwordAuth() {
    try (RedisServer redis = RedisServer.start(null, "pw-1")) {
      roundTrip(redis.config());
      RedisStoreConfig wrong = withPassword(redis.config(), "nope");
      assertThatThrownBy(() -> roundTrip(wrong))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("online_store.password")
          .hasMessageNotContaining("nope");
    }
  }

  @Test
  void aclUser() {
    try (RedisServer redis = RedisServer.start("feature_writer", "pw-2")) {
      roundTrip(redis.config());
    }
  }

  @Test
  void clusterGroupsKeysBySlot() {
    try (RedisServer cluster = RedisServer.startCluster()) {
      roundTrip(cluster.config());
      long total = 0;
      for (int port : cluster.ports()) {
        long keys = Long.parseLong(cluster.cli(port, "DBSIZE").trim());
        assertThat(keys).as("keys on node %d", port).isPositive();
        total += keys;
      }
      assertThat(total).isEqualTo(500);
    }
  }

  private static RedisStoreConfig withPassword(RedisStoreConfig c, String password) {
    return new RedisStoreConfig(
        c.host(),
        c.port(),
        c.nodes(),
        c.cluster(),
        c.user(),
        Optional.of(password),
        c.tls(),
        c.tlsCaFile(),
        c.tlsVerifyHost(),
        c.database(),
        c.timeoutMs(),
        c.batchSize(),
        c.maxAttempts(),
        c.keyPrefix());
  }
}
