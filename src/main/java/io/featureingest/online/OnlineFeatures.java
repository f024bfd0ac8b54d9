package io.featureingest.online;

import io.featureingest.spec.ConfigErrors;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Java read API: feature values with their event timestamp, {@code max_age} applied (rule 6: a
 * value whose event time is before {@code now - max_age} comes back absent, whatever the store
 * still holds).
 *
 * <pre>{@code
 * List<OnlineFeatures.Row> rows = OnlineFeatures.get(store, table,
 *     List.of(List.of(1001L), List.of(1002L)), List.of("driver_rating"), Instant.now());
 * }</pre>
 */
public final class OnlineFeatures {
  private OnlineFeatures() {}

  /**
   * One entity key's answer: the event timestamp of the stored row (empty when nothing is stored or
   * it is older than max_age) and each asked feature's value (null when absent).
   */
  public record Row(
      Map<String, Object> entity, Optional<Instant> eventTimestamp, Map<String, Object> features) {
    public boolean found() {
      return eventTimestamp.isPresent();
    }

    /** As a JSON-ready tree: entity, event_timestamp, features. */
    public Map<String, Object> toTree() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("entity", plain(entity));
      m.put("event_timestamp", eventTimestamp.map(Instant::toString).orElse(null));
      m.put("features", plain(features));
      return m;
    }

    private static Map<String, Object> plain(Map<String, Object> values) {
      Map<String, Object> out = new LinkedHashMap<>();
      values.forEach((k, v) -> out.put(k, plainValue(v)));
      return out;
    }

    private static Object plainValue(Object v) {
      if (v instanceof byte[] b) {
        return java.util.Base64.getEncoder().encodeToString(b);
      }
      if (v instanceof Instant t) {
        return t.toString();
      }
      if (v instanceof Float f) {
        return f.isNaN() || f.isInfinite() ? f.toString() : Double.valueOf(f.toString());
      }
      if (v instanceof List<?> list) {
        return list.stream().map(Row::plainValue).toList();
      }
      return v;
    }
  }

  /**
   * Rule 6's limit: a stored row whose event time (micros) is below this is too old to serve at
   * {@code now}; {@code Long.MIN_VALUE} when the table has no max_age.
   */
  public static long oldestMicros(OnlineTable table, Instant now) {
    return table.hasMaxAge()
        ? Version.micros(now.minusMillis(table.maxAgeMillis()))
        : Long.MIN_VALUE;
  }

  /** Reads these keys; {@code features} empty means all of the table's features. */
  public static List<Row> get(
      OnlineStore store,
      OnlineTable table,
      List<List<Object>> keys,
      List<String> features,
      Instant now) {
    List<String> wanted = features == null || features.isEmpty() ? table.featureNames() : features;
    for (String f : wanted) {
      if (table.featureIndex(f) < 0) {
        throw ConfigErrors.unknownFeature(table.name(), f, table.featureNames());
      }
    }
    long oldestMicros = oldestMicros(table, now);
    List<Optional<OnlineRecord>> stored = store.read(table, keys);
    List<Row> out = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      Map<String, Object> entity = new LinkedHashMap<>();
      for (int e = 0; e < table.entityNames().size(); e++) {
        entity.put(table.entityNames().get(e), keys.get(i).get(e));
      }
      Optional<OnlineRecord> fresh =
          stored.get(i).filter(r -> r.version().eventMicros() >= oldestMicros);
      Map<String, Object> values = new LinkedHashMap<>();
      for (String f : wanted) {
        values.put(f, fresh.map(r -> r.values().get(table.featureIndex(f))).orElse(null));
      }
      out.add(new Row(entity, fresh.map(r -> r.version().eventTimestamp()), values));
    }
    return out;
  }
}
