package io.featureingest.registry;

import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.SpecDocument;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** An applied table with its meta: when it was first applied and last changed. */
public record RegisteredTable(
    FeatureTable table, Instant createdTimestamp, Instant lastUpdatedTimestamp) {

  /** The document {@code describe} prints: spec (with the name first) and meta. */
  public Map<String, Object> describe() {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("name", table.name());
    spec.putAll(SpecDocument.of(table));
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("created_timestamp", createdTimestamp.toString());
    meta.put("last_updated_timestamp", lastUpdatedTimestamp.toString());
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("spec", spec);
    doc.put("meta", meta);
    return doc;
  }
}
