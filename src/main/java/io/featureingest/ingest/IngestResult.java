package io.featureingest.ingest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What one ingest run did; {@link #toMap()} gives the run summary's fields. */
public record IngestResult(
    String runId,
    String table,
    String target,
    long rowsRead,
    long rowsValid,
    long rowsQuarantined,
    long rowsWritten,
    List<String> droppedColumns,
    List<String> missingFeatures,
    Optional<String> quarantinePath,
    long durationMs) {

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("run_id", runId);
    m.put("table", table);
    m.put("target", target);
    m.put("rows_read", rowsRead);
    m.put("rows_valid", rowsValid);
    m.put("rows_quarantined", rowsQuarantined);
    m.put("rows_written", rowsWritten);
    m.put("dropped_columns", droppedColumns);
    m.put("missing_features", missingFeatures);
    quarantinePath.ifPresent(q -> m.put("quarantine", q));
    m.put("duration_ms", durationMs);
    return m;
  }
}
