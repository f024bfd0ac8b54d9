package io.featureingest.job;

import io.featureingest.online.Materialization;

/** The run summary's fields for the Java API's results, in the order the commands print them. */
final class Summaries {
  private Summaries() {}

  static void materialized(RunSummary summary, MaterializeResult result) {
    Materialization.Result r = result.rows();
    summary
        .count("rows_read", r.rowsRead())
        .count("rows_valid", r.rowsValid())
        .count("rows_quarantined", r.rowsQuarantined())
        .count("rows_skipped_stale", r.rowsSkippedStale())
        .count("rows_written", r.rowsWritten())
        .count("rows_not_newer", r.rowsNotNewer());
    if (result.lateRowsRead()) {
      summary.count("rows_late", r.rowsLate());
    }
    r.quarantinePath().ifPresent(summary::output);
    summary.put("online_store", result.onlineStore());
    result.watermark().ifPresent(w -> summary.put("watermark_" + result.table(), w.toString()));
  }
}
