package io.featureingest.join;

import io.featureingest.spec.ConfigErrors;
import io.featureingest.spec.FeatureTable;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One table of a point-in-time join: its spec, its rows in the {@code TableFrame} shape (entity and
 * feature columns named as in the spec, plus the version columns) and the features wanted from it.
 */
public record TableRequest(FeatureTable table, Dataset<Row> rows, List<String> features) {
  public TableRequest {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(rows, "rows");
    features = List.copyOf(features);
    if (features.isEmpty()) {
      throw ConfigErrors.noFeatureRequested(table.name());
    }
    checkFeatures(table, features);
  }

  /** Fails (exit 2) on a feature the table does not have, naming the ones it has. */
  public static void checkFeatures(FeatureTable table, List<String> features) {
    for (String f : features) {
      if (table.feature(f).isEmpty()) {
        throw ConfigErrors.unknownFeature(table.name(), f, table.featureNames());
      }
    }
  }

  /** All features of the table. */
  public static TableRequest all(FeatureTable table, Dataset<Row> rows) {
    return new TableRequest(table, rows, table.featureNames());
  }
}
