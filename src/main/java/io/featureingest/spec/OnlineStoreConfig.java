package io.featureingest.spec;

/** Where the latest feature values are served from. */
public sealed interface OnlineStoreConfig permits SqliteStoreConfig, RedisStoreConfig {
  String type();

  /** Rows per write batch (a pipeline in Redis, a transaction in SQLite). */
  int batchSize();

  /** Attempts before a store is reported unreachable (exit 4). */
  int maxAttempts();

  /**
   * Where the store is, for messages: "redis 10.0.0.5:6379", "sqlite data/online.db"; no secret.
   */
  String describe();
}
