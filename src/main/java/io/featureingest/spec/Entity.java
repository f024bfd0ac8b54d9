package io.featureingest.spec;

import java.util.Objects;

/** A join key with a value type. List types cannot be keys. */
public record Entity(String name, ValueType type, String description) {
  public Entity {
    Names.check("entity name", name);
    Objects.requireNonNull(type, "type");
    if (type.isList()) {
      throw ConfigErrors.listEntity(name, type);
    }
    description = description == null ? "" : description;
  }

  public static Entity of(String name, ValueType type) {
    return new Entity(name, type, "");
  }
}
