package io.featureingest.online;

import java.util.Collections;
import java.util.List;

/**
 * One (entity key, table) row of the online store: the entity values in the table's entity order,
 * the row's version, and the feature values in the table's feature order, where null means "no
 * value" (a write with a null clears the stored value, rule 5).
 *
 * <p>Values are plain Java: Integer, Long, Float, Double, Boolean, String, byte[], Instant
 * (UNIX_TIMESTAMP), and {@code List} of those for the _LIST types.
 */
public record OnlineRecord(List<Object> key, Version version, List<Object> values) {
  public OnlineRecord {
    key = Collections.unmodifiableList(key);
    values = Collections.unmodifiableList(values);
  }
}
