package io.featureingest.serve;

import io.featureingest.online.OnlineTable;
import io.featureingest.spec.ConfigException;
import io.featureingest.spec.Entity;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.ValueType;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What the server serves: the feature tables (applied in the registry, else declared in the
 * config), the named feature lists (Feast's feature services) and the push sources. Fixed for the
 * life of a server: restart it after {@code apply}.
 *
 * <pre>{@code
 * Catalog catalog = new Catalog(tables, repo.featureLists(), serveConfig.pushSources());
 * }</pre>
 */
public final class Catalog {
  private final Map<String, FeatureTable> tables = new LinkedHashMap<>();
  private final Map<String, OnlineTable> online = new LinkedHashMap<>();
  private final Map<String, ValueType> entityTypes = new LinkedHashMap<>();
  private final Map<String, List<String>> featureLists;
  private final Map<String, String> pushSources;

  public Catalog(
      Collection<FeatureTable> tables,
      Map<String, List<String>> featureLists,
      Map<String, String> pushSources) {
    for (FeatureTable t : tables) {
      this.tables.put(t.name(), t);
      this.online.put(t.name(), OnlineTable.of(t));
      for (Entity e : t.entities()) {
        entityTypes.putIfAbsent(e.name(), e.type());
      }
    }
    this.featureLists = Map.copyOf(featureLists);
    this.pushSources = Map.copyOf(pushSources);
    pushSources.forEach(
        (source, table) -> {
          if (!this.tables.containsKey(table)) {
            throw new ConfigException(
                "push_sources."
                    + source
                    + ": table '"
                    + table
                    + "' is neither applied nor declared; known tables: "
                    + names());
          }
        });
  }

  public Collection<FeatureTable> tables() {
    return tables.values();
  }

  Optional<FeatureTable> table(String name) {
    return Optional.ofNullable(tables.get(name));
  }

  OnlineTable online(String name) {
    return online.get(name);
  }

  /** The type of an entity name, from the first table keyed by it; empty when none is. */
  Optional<ValueType> entityType(String name) {
    return Optional.ofNullable(entityTypes.get(name));
  }

  Optional<List<String>> featureList(String name) {
    return Optional.ofNullable(featureLists.get(name));
  }

  String featureListNames() {
    return featureLists.isEmpty()
        ? "(none)"
        : String.join(", ", new TreeSet<>(featureLists.keySet()));
  }

  /** The table a push source name writes to: listed under push_sources, else the table itself. */
  Optional<FeatureTable> pushTarget(String pushSourceName) {
    return table(pushSources.getOrDefault(pushSourceName, pushSourceName));
  }

  String pushSourceNames() {
    return pushSources.isEmpty()
        ? "(none)"
        : String.join(", ", new TreeSet<>(pushSources.keySet()));
  }

  String names() {
    return tables.isEmpty() ? "(none)" : String.join(", ", new TreeSet<>(tables.keySet()));
  }
}
