package io.featureingest.spec;

import java.util.Locale;

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
    return error(
        last,
        "online store %s is unreachable: %s failed %s times, last with: %s. Check that the store"
            + " is running and online_store in the config points to it; a re-run is safe (writes"
            + " are idempotent)",
        store,
        operation,
        attempts,
        last.getMessage());
  }

  public static StoreUnavailableException registryDown(String operation, Exception e) {
    return error(e, "registry: %s failed: %s", operation, e.getMessage());
  }

  /** The file system behind a path given on the command line cannot be asked. */
  public static StoreUnavailableException pathUnreachable(String flag, String path, Exception e) {
    return error(e, "%s %s: %s", flag, path, e.getMessage());
  }

  /** Templates with %s only, as in {@link ConfigErrors}; the cause is kept for the log. */
  private static StoreUnavailableException error(
      Throwable cause, String template, Object... values) {
    return new StoreUnavailableException(String.format(Locale.ROOT, template, values), cause);
  }
}
