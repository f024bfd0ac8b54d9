package io.featureingest.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.List;
import org.junit.jupiter.api.Test;

/** conf/local.conf and conf/prod.conf parse, and prod's secret stays out of every printout. */
class EnvironmentConfigTest {
  private static File conf(String name) {
    return new File(SpecParserTest.projectDir(), "conf/" + name);
  }

  @Test
  void localIsEmbedded() {
    FeatureRepo repo = SpecParser.parseRepo(ConfigLoader.load(conf("local.conf"), List.of()));
    assertThat(repo.onlineStore()).isInstanceOf(SqliteStoreConfig.class);
    assertThat(repo.tables()).containsKeys("driver_trips", "customer_profile");
  }

  @Test
  void prodIsRedisClusterOverTlsOnObjectStorage() {
    // The password comes from the environment; --set stands in for REDIS_PASSWORD here.
    FeatureRepo repo =
        SpecParser.parseRepo(
            ConfigLoader.load(conf("prod.conf"), List.of("online_store.password=\"hunter2\"")));
    RedisStoreConfig redis = (RedisStoreConfig) repo.onlineStore();
    assertThat(redis.cluster()).isTrue();
    assertThat(redis.tls()).isTrue();
    assertThat(redis.endpoints()).hasSize(3);
    assertThat(redis.password()).contains("hunter2");
    assertThat(redis.toString()).doesNotContain("hunter2");
    assertThat(ConfigLoader.describeMasked(repo.config())).doesNotContain("hunter2");
    assertThat(repo.registryPath()).startsWith("gs://");
    assertThat(((FileSource) repo.table("driver_trips").orElseThrow().batchSource()).path())
        .startsWith("gs://");
    assertThat(((FileSource) repo.table("customer_profile").orElseThrow().batchSource()).path())
        .startsWith("s3a://");
  }

  @Test
  void prodWithoutThePasswordVariableHasNoPassword() {
    FeatureRepo repo = SpecParser.parseRepo(ConfigLoader.load(conf("prod.conf"), List.of()));
    assertThat(((RedisStoreConfig) repo.onlineStore()).password())
        .isEqualTo(
            java.util.Optional.ofNullable(System.getenv("REDIS_PASSWORD"))
                .filter(p -> !p.isEmpty()));
  }
}
