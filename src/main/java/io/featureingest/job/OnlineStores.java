package io.featureingest.job;

import io.featureingest.online.OnlineStore;
import io.featureingest.online.redis.RedisOnlineStore;
import io.featureingest.online.sqlite.SqliteOnlineStore;
import io.featureingest.spec.OnlineStoreConfig;
import io.featureingest.spec.RedisStoreConfig;
import io.featureingest.spec.SqliteStoreConfig;

/** The one place that picks the concrete online store for a config. */
final class OnlineStores {
  private OnlineStores() {}

  static OnlineStore.Opener opener(OnlineStoreConfig config) {
    if (config instanceof RedisStoreConfig redis) {
      return RedisOnlineStore.opener(redis);
    }
    return SqliteOnlineStore.opener((SqliteStoreConfig) config);
  }
}
