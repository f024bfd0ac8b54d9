package io.featureingest.online.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featureingest.online.OnlineCodec;
import io.featureingest.online.OnlineRecord;
import io.featureingest.online.OnlineStore;
import io.featureingest.online.OnlineStoreContract;
import io.featureingest.online.OnlineTable;
import io.featureingest.online.Version;
import io.featureingest.spec.RedisStoreConfig;
import io.featureingest.spec.StoreUnavailableException;
import io.featureingest.testing.RedisServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

class RedisOnlineStoreTest extends OnlineStoreContract {
  static RedisServer redis;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stop() {
    redis.close();
  }

  @Override
  protected OnlineStore.Opener opener() {
    return RedisOnlineStore.opener(redis.config(100, 3));
  }

  @Test
  void aServerStillLoadingItsDataIsRetriedOtherErrorsAreNot() {
    assertThat(
            RedisOnlineStore.isLoading(
                new redis.clients.jedis.exceptions.JedisDataException(
                    "LOADING Redis is loading the dataset in memory")))
        .isTrue();
    assertThat(
            RedisOnlineStore.isLoading(
                new redis.clients.jedis.exceptions.JedisDataException("ERR unknown command")))
        .isFalse();
  }

  @Test
  void keysExpireAtEventTimePlusMaxAge() {
    OnlineTable t = driverTable(tableName("ttl"), Duration.ofHours(1).toMillis());
    Instant event = Instant.now().minusSeconds(600);
    try (RedisOnlineStore store = (RedisOnlineStore) opener().open();
        Jedis jedis = jedis()) {
      store.write(t, List.of(rec(5, Version.of(event, null), 1f, 1, "x")));
      long expireAt = jedis.pexpireTime(key(store, t, 5));
      assertThat(expireAt).isEqualTo(event.toEpochMilli() + Duration.ofHours(1).toMillis());
      // through the compare-and-set script (the key exists now) the expiry moves with the version
      store.write(t, List.of(rec(5, Version.of(event.plusSeconds(60), null), 2f, 2, "y")));
      assertThat(jedis.pexpireTime(key(store, t, 5)))
          .isEqualTo(event.plusSeconds(60).toEpochMilli() + Duration.ofHours(1).toMillis());
    }
  }

  @Test
  void aScriptFlushedFromTheServerIsLoadedAgain() {
    OnlineTable t = driverTable(tableName("flush"), 0);
    try (OnlineStore store = opener().open()) {
      store.write(t, List.of(rec(1, v(1, 1L), 1f, 1, "a")));
      redis.cli(redis.port(), "SCRIPT", "FLUSH");
      assertThat(store.write(t, List.of(rec(1, v(2, 1L), 2f, 2, "b")))).isEqualTo(1);
    }
  }

  @Test
  void aServerThatIsDownIsNamedAfterRetries() {
    int port = RedisServer.freePort(false);
    RedisStoreConfig down =
        new RedisStoreConfig(
            "127.0.0.1",
            port,
            List.of(),
            false,
            Optional.empty(),
            Optional.of("s3cret"),
            false,
            Optional.empty(),
            true,
            0,
            500,
            10,
            2,
            "");
    assertThatThrownBy(
            () -> {
              try (OnlineStore store = RedisOnlineStore.opener(down).open()) {
                store.write(driverTable("down", 0), List.of(rec(1, v(1, 1L), 1f, 1, "a")));
              }
            })
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("127.0.0.1:" + port)
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void compactLayout() {
    OnlineTable t = driverTable(tableName("mem"), 0);
    try (RedisOnlineStore store = (RedisOnlineStore) opener().open();
        Jedis jedis = jedis()) {
      store.write(t, List.of(rec(1001, v(1, 2L), 4.5f, 12, "ok")));
      // 16-byte version + rating (2+1+4) + trips (2+1+1) + label (2+1+2)
      assertThat(jedis.strlen(key(store, t, 1001))).isEqualTo(32);
      // 14-byte keys whatever the entity, the same table tag first, distinct per entity and table
      byte[] a = key(store, t, 1001);
      byte[] b = key(store, t, 123456789012345L);
      byte[] other = key(store, driverTable(tableName("mem2"), 0), 1001);
      assertThat(a).hasSize(14);
      assertThat(b).hasSize(14);
      assertThat(java.util.Arrays.copyOf(a, 2)).isEqualTo(java.util.Arrays.copyOf(b, 2));
      assertThat(a).isNotEqualTo(b).isNotEqualTo(other);
    }
  }

  @Test
  void writesOfKeysThatExistAndKeysThatDoNotMixInEitherMode() {
    OnlineTable t = driverTable(tableName("modes"), 0);
    try (OnlineStore store = opener().open()) {
      // fresh keys: SET NX
      assertThat(store.write(t, keys(0, 10, 1))).isEqualTo(10);
      // all exist, older: not landed, and the store switches to the script first
      assertThat(store.write(t, keys(0, 10, 0))).isZero();
      // mostly existing and newer plus a few new keys, through the script
      assertThat(store.write(t, keys(0, 12, 2))).isEqualTo(12);
      // all new: the script sees them absent and the store switches back to SET NX
      assertThat(store.write(t, keys(100, 110, 1))).isEqualTo(10);
      assertThat(store.write(t, keys(110, 120, 1))).isEqualTo(10);
      List<Optional<OnlineRecord>> read =
          store.read(
              t, List.of(List.of((Object) 0L), List.of((Object) 11L), List.of((Object) 115L)));
      assertThat(read).allMatch(Optional::isPresent);
      assertThat(read.get(0).get().version()).isEqualTo(v(2, 2L));
      assertThat(read.get(1).get().version()).isEqualTo(v(2, 2L));
      assertThat(read.get(2).get().version()).isEqualTo(v(1, 1L));
    }
  }

  @Test
  void aFreshBatchMeetingAStoredKeyOrHoldingAKeyTwiceStillKeepsTheNewest() {
    OnlineTable t = driverTable(tableName("msetnx"), 0);
    try (OnlineStore store = opener().open()) {
      assertThat(store.write(t, keys(5, 6, 3))).isEqualTo(1); // MSETNX of one key
      // MSETNX refuses the whole batch for key 5; SET NX lands the others, the script keeps 5's v3
      assertThat(store.write(t, keys(0, 10, 1))).isEqualTo(9);
      assertThat(readOne(store, t, 5).orElseThrow().version()).isEqualTo(v(3, 3L));
    }
    try (OnlineStore store = opener().open()) {
      // a key twice in one batch of new keys: not MSETNX, where the last would win
      List<OnlineRecord> twice = new java.util.ArrayList<>(keys(20, 21, 2));
      twice.addAll(keys(20, 22, 1));
      assertThat(store.write(t, twice)).isEqualTo(2);
      assertThat(readOne(store, t, 20).orElseThrow().version()).isEqualTo(v(2, 2L));
      assertThat(readOne(store, t, 21).orElseThrow().version()).isEqualTo(v(1, 1L));
    }
  }

  @Test
  void repeatedDigestsAreFound() {
    byte[][] keys = new byte[3000][];
    java.util.Random random = new java.util.Random(1);
    for (int i = 0; i < keys.length; i++) {
      keys[i] = new byte[14];
      random.nextBytes(keys[i]);
    }
    assertThat(RedisWrites.distinct(keys)).isTrue();
    keys[2999] = keys[17].clone();
    assertThat(RedisWrites.distinct(keys)).isFalse();
  }

  private List<OnlineRecord> keys(long from, long to, long version) {
    List<OnlineRecord> out = new java.util.ArrayList<>();
    for (long k = from; k < to; k++) {
      out.add(rec(k, v(version, version), (float) version, (int) version, "v" + version));
    }
    return out;
  }

  private static Jedis jedis() {
    return new Jedis("127.0.0.1", redis.port());
  }

  private static byte[] key(RedisOnlineStore store, OnlineTable t, long driver) {
    return store.redisKey(t, new OnlineCodec(t), List.of(driver));
  }
}
