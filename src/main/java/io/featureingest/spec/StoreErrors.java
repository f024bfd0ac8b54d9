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

  /**
   * The same failure without cause and stack frames, for a Spark task: thrown from one, the frames
   * and cause chain made ~100 log lines per failed task (issue 22). Not a message of its own: the
   * message is {@code e}'s, word for word.
   */
  public static StoreUnavailableException withoutTrace(StoreUnavailableException e) {
    StoreUnavailableException bare = new StoreUnavailableException(e.getMessage(), null);
    bare.setStackTrace(new StackTraceElement[0]);
    return bare;
  }

  // ---- Batch sources (the offline store) ----

  /** A file batch source read before anything was ingested into it. */
  public static StoreUnavailableException batchSourceMissing(String path, String format) {
    return error(
        null,
        "batch source %s (%s) does not exist: nothing has been ingested into it yet; run ingest"
            + " first",
        path,
        format);
  }

  /**
   * The file system of a batch source failed; {@code action} is what could not be done, e.g. "list
   * it".
   */
  public static StoreUnavailableException batchSourceFailed(
      String path, String action, Exception e) {
    return error(e, "batch source %s: cannot %s: %s", path, action, e.getMessage());
  }

  /** A stream's micro-batch could not be appended to its offline log (log_to_batch_source). */
  public static StoreUnavailableException streamLogFailed(String path, long batchId, Exception e) {
    return error(e, "offline log %s: cannot append batch %s: %s", path, batchId, e.getMessage());
  }

  // ---- Stream sources, probed before a query starts ----

  /** The Kafka brokers do not answer; {@code why} is the innermost error or the timeout. */
  public static StoreUnavailableException kafkaUnreachable(
      String table, String bootstrapServers, String topic, String why) {
    return error(
        null,
        "stream source of table %s: Kafka at bootstrap servers %s (topic %s) is unreachable: %s."
            + " Check that the brokers are running and reachable from the driver, and that the"
            + " table's stream_source.bootstrap_servers names them",
        table,
        bootstrapServers,
        topic,
        why);
  }

  /** The Kinesis endpoint takes no TCP connection; {@code why} is the innermost error. */
  public static StoreUnavailableException kinesisUnreachable(
      String table, String stream, String endpoint, String region, String why) {
    return error(
        null,
        "stream source of table %s: Kinesis stream %s at endpoint %s (region %s) is unreachable:"
            + " %s. Check that the endpoint is reachable from the driver, and the table's"
            + " stream_source.endpoint and region",
        table,
        stream,
        endpoint,
        region,
        why);
  }

  /** Templates with %s only, as in {@link ConfigErrors}; the cause is kept for the log. */
  private static StoreUnavailableException error(
      Throwable cause, String template, Object... values) {
    return new StoreUnavailableException(String.format(Locale.ROOT, template, values), cause);
  }
}
