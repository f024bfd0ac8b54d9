package io.featureingest.online;

import io.featureingest.spec.Entity;
import io.featureingest.spec.Feature;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.ValueType;
import java.io.Serializable;
import java.util.List;

/**
 * What the online store needs to know about a feature table, small and serializable so that it
 * travels to Spark executors (the spec records are not serializable): names and types of the
 * entities and features, and {@code max_age} in milliseconds (0 = no limit).
 */
public record OnlineTable(
    String name,
    List<String> entityNames,
    List<ValueType> entityTypes,
    List<String> featureNames,
    List<ValueType> featureTypes,
    long maxAgeMillis)
    implements Serializable {

  public OnlineTable {
    entityNames = List.copyOf(entityNames);
    entityTypes = List.copyOf(entityTypes);
    featureNames = List.copyOf(featureNames);
    featureTypes = List.copyOf(featureTypes);
    if (entityNames.size() != entityTypes.size() || featureNames.size() != featureTypes.size()) {
      throw new IllegalArgumentException("names and types differ in length for table " + name);
    }
  }

  public static OnlineTable of(FeatureTable table) {
    return new OnlineTable(
        table.name(),
        table.entityNames(),
        table.entities().stream().map(Entity::type).toList(),
        table.featureNames(),
        table.features().stream().map(Feature::type).toList(),
        table.maxAge().map(d -> d.toMillis()).orElse(0L));
  }

  public boolean hasMaxAge() {
    return maxAgeMillis > 0;
  }

  public int featureIndex(String feature) {
    return featureNames.indexOf(feature);
  }
}
