package io.featureingest.spec;

/**
 * Every user-facing "store or source unreachable" error (exit 4), in one place. The cause is kept
 * for the log; the message names where the store is (never its password) and what to check; see
 * docs/errors.md.
 *
 * <pre>{@code
 * throw StoreErrors.onlineStoreDown("redis 10.0.0.5:6379", "writing", 5, lastFailure);
 * }</pre>
 */
public final class StoreErrors {
  private StoreErrors() {}

  /**
   * The online store failed {@code attempts} times in a row. {@code store} is the store's {@code
   * describe()}, which holds no secret.
   */
  public static StoreUnavailableException onlineStoreDown(
      String store, String operation, int attempts, RuntimeException last) {
    return new StoreUnavailableException(
        "online store "
            + store
            + " is unreachable: "
            + operation
            + " failed "
            + attempts
            + " times, last with: "
            + last.getMessage()
            + ". Check that the store is running and online_store in the config points to"
            + " it; a re-run is safe (writes are idempotent)",
        last);
  }

  public static StoreUnavailableException registryDown(String operation, Exception e) {
    return new StoreUnavailableException(
        "registry: " + operation + " failed: " + e.getMessage(), e);
  }

  /** The file system behind a path given on the command line cannot be asked. */
  public static StoreUnavailableException pathUnreachable(String flag, String path, Exception e) {
    return new StoreUnavailableException(flag + " " + path + ": " + e.getMessage(), e);
  }
}
