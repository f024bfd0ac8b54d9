package io.featureingest.job;

import io.featureingest.spec.ConfigErrors;
import io.featureingest.spec.Entity;
import io.featureingest.spec.FeatureTable;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --entity k=v[,k2=v2]} to entity values typed as the table's entities, in their order. */
final class EntityArguments {
  private EntityArguments() {}

  static List<Object> parse(FeatureTable table, String text) {
    Map<String, String> given = new LinkedHashMap<>();
    for (String part : text.split(",")) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw ConfigErrors.expected("--entity", "k=v[,k2=v2] with the table's entity names", text);
      }
      given.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
    }
    if (!given.keySet().equals(new java.util.HashSet<>(table.entityNames()))) {
      throw ConfigErrors.wrongEntityKeys(text, table.name(), table.entityNames());
    }
    List<Object> key = new ArrayList<>();
    for (Entity e : table.entities()) {
      String v = given.get(e.name());
      try {
        key.add(
            switch (e.type()) {
              case INT32 -> Integer.parseInt(v);
              case INT64 -> Long.parseLong(v);
              case BOOL -> Boolean.parseBoolean(v);
              case BYTES -> Base64.getDecoder().decode(v);
              case FLOAT -> Float.parseFloat(v);
              case DOUBLE -> Double.parseDouble(v);
              case UNIX_TIMESTAMP -> Timestamps.parse("--entity " + e.name(), v);
              default -> v;
            });
      } catch (IllegalArgumentException bad) {
        throw ConfigErrors.expected("--entity " + e.name(), "a " + e.type() + " value", v);
      }
    }
    return key;
  }
}
