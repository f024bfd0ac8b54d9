package io.featureingest.spec;

import java.util.Map;
import java.util.Objects;

/** A typed feature of a table, with optional labels. */
public record Feature(String name, ValueType type, Map<String, String> labels) {
  public Feature {
    Names.check("feature name", name);
    Objects.requireNonNull(type, "type");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  public static Feature of(String name, ValueType type) {
    return new Feature(name, type, Map.of());
  }
}
