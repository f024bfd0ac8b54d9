package io.featureingest.online;

import java.io.Serializable;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A row's version (rule 2): event timestamp first, then created timestamp, both in microseconds
 * since the epoch (Spark's precision). A missing created timestamp is {@link #NO_CREATED}, which
 * sorts lowest, so plain long comparison keeps the rule in Java, Lua and SQL alike.
 */
public record Version(long eventMicros, long createdMicros)
    implements Comparable<Version>, Serializable {
  public static final long NO_CREATED = Long.MIN_VALUE;

  public static Version of(Instant event, Instant created) {
    return new Version(micros(event), created == null ? NO_CREATED : micros(created));
  }

  public static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000L);
  }

  public static Instant instant(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
  }

  public Instant eventTimestamp() {
    return instant(eventMicros);
  }

  public long eventMillis() {
    return TimeUnit.MICROSECONDS.toMillis(eventMicros);
  }

  @Override
  public int compareTo(Version o) {
    int c = Long.compare(eventMicros, o.eventMicros);
    return c != 0 ? c : Long.compare(createdMicros, o.createdMicros);
  }
}
