package io.featureingest.spec;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Feast's value types: the scalars and the {@code _LIST} form of each. */
public enum ValueType {
  BYTES,
  STRING,
  INT32,
  INT64,
  DOUBLE,
  FLOAT,
  BOOL,
  UNIX_TIMESTAMP,
  BYTES_LIST,
  STRING_LIST,
  INT32_LIST,
  INT64_LIST,
  DOUBLE_LIST,
  FLOAT_LIST,
  BOOL_LIST,
  UNIX_TIMESTAMP_LIST;

  public boolean isList() {
    return name().endsWith("_LIST");
  }

  /** The scalar type of a list type's elements; a scalar type is its own element type. */
  public ValueType elementType() {
    return isList() ? valueOf(name().substring(0, name().length() - "_LIST".length())) : this;
  }

  /** Parses a type name, case-insensitively; the error lists every accepted name. */
  public static ValueType parse(String path, String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ConfigErrors.expected(path, "one of " + allNames(), text);
    }
  }

  static String allNames() {
    return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
  }
}
