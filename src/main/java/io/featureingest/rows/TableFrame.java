package io.featureingest.rows;

import io.featureingest.spec.FeatureTable;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape every pipeline step after projection works on, whatever the source: one column per
 * entity and per feature, named as in the spec and typed as the spec's Spark type, plus the version
 * columns {@link #EVENT_TS} and {@link #CREATED_TS} (Spark timestamps, UTC; the created timestamp
 * may be null and then sorts lowest). Writers rename the version columns back to the source's
 * {@code event_timestamp_column} and {@code created_timestamp_column}.
 */
public final class TableFrame {
  /** The row's event timestamp. */
  public static final String EVENT_TS = "_fi_event_ts";

  /** The row's created timestamp; null when the source has none. */
  public static final String CREATED_TS = "_fi_created_ts";

  private TableFrame() {}

  /** Entity columns, feature columns, then the two version columns. */
  public static List<String> columns(FeatureTable table) {
    List<String> out = new ArrayList<>(table.entityNames());
    out.addAll(table.featureNames());
    out.add(EVENT_TS);
    out.add(CREATED_TS);
    return out;
  }
}
