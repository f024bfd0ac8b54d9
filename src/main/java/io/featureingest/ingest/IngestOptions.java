package io.featureingest.ingest;

import io.featureingest.spec.ConfigErrors;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * How one ingest run behaves: missing features as nulls, the invalid fraction it tolerates (0: any
 * invalid row fails the run), Delta dedup by MERGE, the quarantine base folder (empty: beside the
 * table's data), the run id and the ingestion instant stamped as created timestamp.
 */
public record IngestOptions(
    boolean allowMissingFeatures,
    double maxInvalidFraction,
    boolean dedup,
    Optional<String> quarantinePath,
    String runId,
    Instant ingestedAt) {

  public IngestOptions {
    if (Double.isNaN(maxInvalidFraction) || maxInvalidFraction < 0 || maxInvalidFraction > 1) {
      throw ConfigErrors.expected(
          "max_invalid_fraction", "a fraction between 0 and 1", maxInvalidFraction);
    }
    quarantinePath = quarantinePath == null ? Optional.empty() : quarantinePath;
    runId = runId == null || runId.isBlank() ? UUID.randomUUID().toString() : runId;
    ingestedAt = ingestedAt == null ? Instant.now() : ingestedAt;
  }

  /** Strict defaults: no missing features, no invalid rows, append, a fresh run id, now. */
  public static IngestOptions defaults() {
    return new IngestOptions(false, 0, false, Optional.empty(), null, null);
  }

  public IngestOptions allowingMissingFeatures(boolean allow) {
    return new IngestOptions(allow, maxInvalidFraction, dedup, quarantinePath, runId, ingestedAt);
  }

  public IngestOptions withMaxInvalidFraction(double fraction) {
    return new IngestOptions(
        allowMissingFeatures, fraction, dedup, quarantinePath, runId, ingestedAt);
  }

  public IngestOptions withDedup(boolean on) {
    return new IngestOptions(
        allowMissingFeatures, maxInvalidFraction, on, quarantinePath, runId, ingestedAt);
  }

  public IngestOptions withQuarantinePath(String base) {
    return new IngestOptions(
        allowMissingFeatures,
        maxInvalidFraction,
        dedup,
        Optional.ofNullable(base),
        runId,
        ingestedAt);
  }

  public IngestOptions withRun(String id, Instant at) {
    return new IngestOptions(
        allowMissingFeatures, maxInvalidFraction, dedup, quarantinePath, id, at);
  }
}
