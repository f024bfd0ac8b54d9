package io.featureingest.join;

import io.featureingest.spec.ConfigErrors;

/**
 * One requested feature, written {@code table:feature} on the command line; its output column is
 * {@code table__feature}.
 */
public record FeatureRef(String table, String feature) {
  public FeatureRef {
    if (table == null || table.isBlank() || feature == null || feature.isBlank()) {
      throw ConfigErrors.badFeatureRef(table, feature);
    }
  }

  /** Parses {@code table:feature}; anything else is a usage error naming the text. */
  public static FeatureRef parse(String text) {
    String t = text == null ? "" : text.trim();
    int colon = t.indexOf(':');
    if (colon <= 0 || colon == t.length() - 1 || t.indexOf(':', colon + 1) >= 0) {
      throw ConfigErrors.expected(
          "--features", "table:feature (e.g. driver_trips:driver_rating)", t);
    }
    return new FeatureRef(t.substring(0, colon), t.substring(colon + 1));
  }

  /** The output column name. */
  public String column() {
    return table + "__" + feature;
  }

  @Override
  public String toString() {
    return table + ":" + feature;
  }
}
