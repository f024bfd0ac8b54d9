package io.featureingest.serve;

import io.featureingest.online.OnlineStore;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Online stores for the request threads. A store instance is not thread-safe (a SQLite connection,
 * Redis key buffers), so each call borrows one for itself; stores open on first need and are kept
 * while they work. A store call that fails discards its instance, so that the next call opens a
 * fresh one: once a Redis server that was down is back, the next request reconnects instead of
 * inheriting broken connections.
 */
final class StorePool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StorePool.class);

  private final OnlineStore.Opener opener;
  private final Semaphore permits;
  private final ConcurrentLinkedDeque<OnlineStore> idle = new ConcurrentLinkedDeque<>();
  private volatile boolean closed;

  StorePool(OnlineStore.Opener opener, int size) {
    this.opener = opener;
    this.permits = new Semaphore(size);
  }

  /** Runs {@code action} on a store of its own; its failures pass through to the caller. */
  <T> T with(Function<OnlineStore, T> action) {
    try {
      if (!permits.tryAcquire(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("no online store connection free after 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for an online store connection", e);
    }
    try {
      OnlineStore store = idle.pollFirst();
      if (store == null) {
        store = opener.open();
      }
      T result;
      try {
        result = action.apply(store);
      } catch (RuntimeException e) {
        discard(store);
        throw e;
      }
      idle.offerFirst(store); // most recently used first: its connections are the warm ones
      if (closed) {
        close();
      }
      return result;
    } finally {
      permits.release();
    }
  }

  /** The store's own description, for messages and the startup line. */
  String describe() {
    return with(OnlineStore::describe);
  }

  private static void discard(OnlineStore store) {
    try {
      store.close();
    } catch (RuntimeException e) {
      LOG.debug("closing a failed online store: {}", e.toString());
    }
  }

  @Override
  public void close() {
    closed = true;
    for (OnlineStore s = idle.pollFirst(); s != null; s = idle.pollFirst()) {
      discard(s);
    }
  }
}
