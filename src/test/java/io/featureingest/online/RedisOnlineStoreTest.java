package io.featureingest.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
  OnlineStore.Opener opener() {
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
    try (OnlineStore store = opener().open()) {
      store.write(t, List.of(rec(5, Version.of(event, null), 1f, 1, "x")));
    }
    long expireAt = Long.parseLong(redis.cli(redis.port(), "PEXPIRETIME", t.name() + ":5").trim());
    assertThat(expireAt).isEqualTo(event.toEpochMilli() + Duration.ofHours(1).toMillis());
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
    try (OnlineStore store = opener().open()) {
      store.write(t, List.of(rec(1001, v(1, 2L), 4.5f, 12, "ok")));
    }
    // 16-byte version + rating (2+1+4) + trips (2+1+1) + label (2+1+2)
    assertThat(redis.cli(redis.port(), "STRLEN", t.name() + ":1001").trim()).isEqualTo("32");
  }
}
