package io.featureingest.offline;

import java.util.OptionalLong;

/**
 * Rows written to a batch source but not yet visible to its readers: the single-pass ingest writes
 * the valid rows while it counts the invalid ones, then either commits (the invalid fraction is
 * within the threshold) or aborts, so a failed run still commits nothing to the table.
 */
public interface StagedWrite {
  /** Rows the staged files hold, read from their own metadata; empty when unknown. */
  OptionalLong rows();

  /** Makes the staged rows part of the table. */
  void commit();

  /** Removes the staged files; the table stays as it was. Never throws. */
  void abort();
}
