package io.featureingest.spec;

import java.util.List;
import java.util.Locale;

/** Formats of a file batch source. */
public enum FileFormat {
  PARQUET,
  DELTA;

  public String sparkName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static FileFormat parse(String path, String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ConfigErrors.oneOf(path, List.of("parquet", "delta"), text);
    }
  }
}
