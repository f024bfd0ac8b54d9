package io.featureingest.stream;

import java.util.Optional;

/**
 * What one micro-batch did: messages in, quarantined (undecodable or invalid), rows written to the
 * online store, rows skipped because the store held a newer or equal version, and the lag (batch
 * end minus the newest event time among its valid rows; empty when it had none).
 */
public record BatchFigures(
    long batchId,
    long inputRows,
    long quarantined,
    long written,
    long skippedStale,
    Optional<Long> lagMillis,
    long durationMillis) {}
