package io.featureingest.job;

import java.util.List;
import java.util.Map;

/**
 * What a training set run did: rows written to {@code output}, its feature columns, and per table
 * the stored rows that broke the contract and took no part.
 */
public record RetrieveResult(
    long rows, String output, List<String> features, Map<String, Long> storedRowsLeftOut) {
  public long storedRowsLeftOutTotal() {
    return storedRowsLeftOut.values().stream().mapToLong(Long::longValue).sum();
  }
}
