package io.featureingest.spec;

import java.util.regex.Pattern;

/** Names of tables, entities, features and columns: what Feast and Spark SQL accept unquoted. */
final class Names {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private Names() {}

  static void check(String what, String name) {
    if (name != null && name.startsWith("_fi_")) {
      throw ConfigErrors.reservedName(what, name);
    }
    if (name == null || !NAME.matcher(name).matches()) {
      throw ConfigErrors.badName(what, name);
    }
  }
}
