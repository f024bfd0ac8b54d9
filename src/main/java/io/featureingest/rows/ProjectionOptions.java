package io.featureingest.rows;

import java.time.Instant;
import java.util.Optional;

/**
 * How {@link Projection} treats an input: whether absent feature columns become nulls, and the
 * ingestion instant stamped as created timestamp where the input has none (empty: leave it null, as
 * when reading an existing offline store).
 */
public record ProjectionOptions(boolean allowMissingFeatures, Optional<Instant> createdAt) {
  public ProjectionOptions {
    createdAt = createdAt == null ? Optional.empty() : createdAt;
  }

  /** Strict reading of stored data: every feature required, created timestamp as found. */
  public static ProjectionOptions strict() {
    return new ProjectionOptions(false, Optional.empty());
  }

  public ProjectionOptions allowingMissingFeatures(boolean allow) {
    return new ProjectionOptions(allow, createdAt);
  }

  public ProjectionOptions stampedAt(Instant ingestionInstant) {
    return new ProjectionOptions(allowMissingFeatures, Optional.of(ingestionInstant));
  }
}
