package io.featureingest.spec;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A feature table: entities (the key), typed features, an optional {@code max_age}, labels, one
 * batch source (the offline store) and an optional stream source.
 *
 * <pre>{@code
 * FeatureTable t = new FeatureTable("driver_trips", List.of(Entity.of("driver_id", ValueType.INT64)),
 *     List.of(Feature.of("driver_rating", ValueType.FLOAT)), Optional.of(Duration.ofDays(2)),
 *     Map.of(), new FileSource(FileFormat.PARQUET, "data/offline/driver_trips",
 *         SourceColumns.of("datetime", "created")), Optional.empty());
 * }</pre>
 */
public record FeatureTable(
    String name,
    List<Entity> entities,
    List<Feature> features,
    Optional<Duration> maxAge,
    Map<String, String> labels,
    BatchSource batchSource,
    Optional<StreamSource> streamSource) {

  /** Longer than this is a typo, not a policy. */
  private static final Duration MAX_AGE_LIMIT = Duration.ofDays(36_525);

  public FeatureTable {
    Names.check("table name", name);
    entities = entities == null ? List.of() : List.copyOf(entities);
    features = features == null ? List.of() : List.copyOf(features);
    maxAge = maxAge == null ? Optional.empty() : maxAge;
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    streamSource = streamSource == null ? Optional.empty() : streamSource;
    if (entities.isEmpty()) {
      throw ConfigErrors.noneGiven(
          name, "entities", "entities = [ { name = driver_id, type = INT64 } ]");
    }
    if (features.isEmpty()) {
      throw ConfigErrors.noneGiven(name, "features", null);
    }
    Set<String> seen = new HashSet<>();
    for (Entity e : entities) {
      if (!seen.add(e.name())) {
        throw ConfigErrors.listedTwice(name, "entity", e.name());
      }
    }
    Set<String> featureNames = new HashSet<>();
    for (Feature f : features) {
      if (seen.contains(f.name())) {
        throw ConfigErrors.featureNamedLikeEntity(name, f.name());
      }
      if (!featureNames.add(f.name())) {
        throw ConfigErrors.listedTwice(name, "feature", f.name());
      }
    }
    maxAge.ifPresent(
        d -> {
          if (d.isNegative() || d.isZero()) {
            throw ConfigErrors.maxAgeNotPositive(name, d);
          }
          if (d.compareTo(MAX_AGE_LIMIT) > 0) {
            throw ConfigErrors.maxAgeTooLong(name, d);
          }
        });
    if (batchSource == null) {
      throw ConfigErrors.required("table " + name, "batch_source");
    }
  }

  public List<String> entityNames() {
    return entities.stream().map(Entity::name).toList();
  }

  public List<String> featureNames() {
    return features.stream().map(Feature::name).toList();
  }

  public Optional<Feature> feature(String featureName) {
    return features.stream().filter(f -> f.name().equals(featureName)).findFirst();
  }

  /**
   * Why {@code next} cannot replace this table without {@code --force}, or empty when it can: the
   * entity set or an entity's type changed (stored keys would no longer match).
   */
  public Optional<String> incompatibilityWith(FeatureTable next) {
    return incompatibleChange(next).map(ConfigException::getMessage);
  }

  /**
   * {@link #incompatibilityWith} as the error that {@code apply} throws without {@code --force}.
   */
  public Optional<ConfigException> incompatibleChange(FeatureTable next) {
    Map<String, ValueType> before = new java.util.LinkedHashMap<>();
    entities.forEach(e -> before.put(e.name(), e.type()));
    Map<String, ValueType> after = new java.util.LinkedHashMap<>();
    next.entities.forEach(e -> after.put(e.name(), e.type()));
    if (!before.keySet().equals(after.keySet())) {
      return Optional.of(ConfigErrors.entitiesChanged(name, before.keySet(), after.keySet()));
    }
    for (var e : before.entrySet()) {
      if (after.get(e.getKey()) != e.getValue()) {
        return Optional.of(
            ConfigErrors.entityTypeChanged(name, e.getKey(), e.getValue(), after.get(e.getKey())));
      }
    }
    return Optional.empty();
  }
}
