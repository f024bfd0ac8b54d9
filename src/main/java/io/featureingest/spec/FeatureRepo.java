package io.featureingest.spec;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A whole resolved configuration: the project, the registry location, the online store, the
 * declared tables, named feature lists for {@code retrieve}, and the raw config for job settings.
 */
public record FeatureRepo(
    String project,
    String registryPath,
    OnlineStoreConfig onlineStore,
    Map<String, FeatureTable> tables,
    Map<String, List<String>> featureLists,
    Config config) {

  public FeatureRepo {
    tables = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tables));
    featureLists = featureLists == null ? Map.of() : Map.copyOf(featureLists);
  }

  public Optional<FeatureTable> table(String name) {
    return Optional.ofNullable(tables.get(name));
  }
}
