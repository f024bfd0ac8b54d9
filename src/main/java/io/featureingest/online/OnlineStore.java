package io.featureingest.online;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;

/**
 * The online store: the latest feature values per (entity key, table). Writes are batched
 * compare-and-set operations done inside the store (rule 4): a record lands only if its version is
 * greater than the stored one; an equal version is a no-op, so re-running a write is harmless.
 *
 * <pre>{@code
 * try (OnlineStore store = opener.open()) {
 *   long landed = store.write(table, records);
 *   List<Optional<OnlineRecord>> rows = store.read(table, List.of(List.of(1001L)));
 * }
 * }</pre>
 *
 * Implementations retry transient failures with exponential backoff and then throw {@link
 * io.featureingest.spec.StoreUnavailableException} naming where the store is.
 */
public interface OnlineStore extends AutoCloseable {
  /** Writes the records, each only if newer than the stored row; returns how many landed. */
  long write(OnlineTable table, List<OnlineRecord> records);

  /**
   * The same write for rows already in {@link OnlineCodec}'s bytes (entity key, value with its
   * version header), as the executors' writer builds them from Spark's rows: same rules, same
   * count.
   */
  long writeEncoded(OnlineTable table, EncodedRows rows);

  /**
   * The stored rows for these entity keys, in the same order; empty where there is none. Does not
   * apply {@code max_age}: {@link OnlineFeatures} does that for every store alike.
   */
  List<Optional<OnlineRecord>> read(OnlineTable table, List<List<Object>> keys);

  /** Where the store is, for messages: "redis 10.0.0.5:6379", "sqlite data/online.db". */
  String describe();

  @Override
  void close();

  /** Opens a store; serializable so that Spark ships it to executors, which open their own. */
  @FunctionalInterface
  interface Opener extends Serializable {
    OnlineStore open();
  }
}
