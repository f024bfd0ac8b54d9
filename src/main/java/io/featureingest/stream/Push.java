package io.featureingest.stream;

import io.featureingest.online.OnlineStore;
import io.featureingest.rows.Quarantine;
import io.featureingest.spec.FeatureTable;
import java.time.Instant;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Rows straight to the online store, Feast's {@code write_to_online_store(table, dataframe)}: the
 * same projection, validation and quarantine as {@code ingest} (columns named as the table's batch
 * source: entity and feature names, its event and created timestamp columns; created stamped with
 * the push time where absent, rule 3), then the latest row per entity key written newer-wins, so a
 * push never replaces a newer materialized or streamed value, nor the other way round.
 *
 * <pre>{@code
 * Push.Result r = Push.write(table, events, new Push.Settings(opener, 1000, Optional.empty(), 0.0,
 *     false));
 * }</pre>
 *
 * From a job with the project's config, {@code io.featureingest.job.FeatureStore} does the lookup:
 * {@code FeatureStore.open(config).writeToOnlineStore("driver_trips", events)}.
 */
public final class Push {
  private Push() {}

  /**
   * Where and how to write: the store, rows per store round trip, the quarantine base (empty: next
   * to the batch source), the tolerated invalid fraction and whether absent features become nulls.
   */
  public record Settings(
      OnlineStore.Opener store,
      int batchSize,
      Optional<String> quarantineBase,
      double maxInvalidFraction,
      boolean allowMissingFeatures)
      implements java.io.Serializable {
    public Settings {
      quarantineBase = quarantineBase == null ? Optional.empty() : quarantineBase;
      if (batchSize <= 0) {
        throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
      }
    }
  }

  /** What a push did. */
  public record Result(
      long rowsRead,
      long rowsQuarantined,
      long rowsWritten,
      long rowsNotNewer,
      Optional<String> quarantinePath) {}

  /** Pushes {@code rows}; {@code runId} names the quarantine folder of this push. */
  public static Result write(
      FeatureTable table, Dataset<Row> rows, Settings settings, String runId) {
    Instant now = Instant.now();
    String path =
        Quarantine.location(settings.quarantineBase(), table.name(), table.batchSource(), runId);
    OnlineBatch.Result r =
        OnlineBatch.run(table, rows, new OnlineBatch.QuarantineTarget(path, runId), settings, now);
    return new Result(r.read(), r.quarantined(), r.written(), r.notNewer(), r.quarantinePath());
  }

  public static Result write(FeatureTable table, Dataset<Row> rows, Settings settings) {
    return write(table, rows, settings, "push-" + java.util.UUID.randomUUID());
  }
}
