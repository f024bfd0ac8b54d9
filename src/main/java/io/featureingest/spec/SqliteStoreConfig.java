package io.featureingest.spec;

/** The embedded default: one SQLite file on the driver's (and in local mode, executors') disk. */
public record SqliteStoreConfig(String path, int batchSize, int maxAttempts, int busyTimeoutMs)
    implements OnlineStoreConfig {
  public SqliteStoreConfig {
    if (path == null || path.isBlank()) {
      throw ConfigErrors.required("online_store.path", "the SQLite file", "data/online.db");
    }
    if (batchSize <= 0) {
      throw ConfigErrors.notPositive("online_store.batch_size", batchSize);
    }
  }

  @Override
  public String type() {
    return "sqlite";
  }

  @Override
  public String describe() {
    return "sqlite " + path;
  }
}
