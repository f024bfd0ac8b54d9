package io.featureingest.online;

import io.featureingest.spec.StoreErrors;
import io.featureingest.spec.StoreUnavailableException;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exponential backoff for store calls: 100 ms, 200 ms, 400 ms ... capped at 5 s, {@code
 * maxAttempts} tries in all, then a {@link StoreUnavailableException} (exit 4) that names where the
 * store is. Safe because every write is a compare-and-set: repeating a batch that half-landed
 * changes nothing that already landed.
 */
public final class Retry {
  private static final Logger LOG = LoggerFactory.getLogger(Retry.class);
  private static final long FIRST_DELAY_MS = 100;
  private static final long MAX_DELAY_MS = 5_000;

  private final int maxAttempts;
  private final String where;
  private final Predicate<RuntimeException> isTransient;

  public Retry(int maxAttempts, String where, Predicate<RuntimeException> isTransient) {
    this.maxAttempts = Math.max(1, maxAttempts);
    this.where = where;
    this.isTransient = isTransient;
  }

  public <T> T call(String what, Supplier<T> action) {
    try {
      return retrying(what, action);
    } catch (StoreUnavailableException e) {
      // Its message says what failed, where, and the last error. Thrown from a Spark task, its
      // frames and cause chain made ~100 log lines per failed task (issue 22): the copy has
      // neither, and the frames stay at DEBUG.
      LOG.debug("{} on {} gave up", what, where, e);
      throw StoreErrors.withoutTrace(e);
    }
  }

  private <T> T retrying(String what, Supplier<T> action) {
    long delay = FIRST_DELAY_MS;
    for (int attempt = 1; ; attempt++) {
      try {
        return action.get();
      } catch (RuntimeException e) {
        if (!isTransient.test(e)) {
          throw e;
        }
        if (attempt >= maxAttempts) {
          throw StoreErrors.onlineStoreDown(where, what, attempt, e);
        }
        LOG.warn(
            "{} on {} failed (attempt {}/{}), retrying in {} ms: {}",
            what,
            where,
            attempt,
            maxAttempts,
            delay,
            e.toString());
        try {
          Thread.sleep(delay);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
        delay = Math.min(MAX_DELAY_MS, delay * 2);
      }
    }
  }
}
