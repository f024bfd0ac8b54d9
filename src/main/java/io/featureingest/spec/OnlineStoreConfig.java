package io.featureingest.spec;

/** Where the latest feature values are served from. */
public sealed interface OnlineStoreConfig permits SqliteStoreConfig, RedisStoreConfig {
  String type();

  /** Rows per write batch (a pipeline in Redis, a transaction in SQLite). */
  int batchSize();

  /** Attempts before a store is reported unreachable (exit 4). */
  int maxAttempts();

  /** The store as run summaries name it (type and where), never with a secret. */
  String describe();
}
