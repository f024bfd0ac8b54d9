package io.featureingest.spec;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A typesafe {@link Config} object seen at a path, whose getters fail with one {@link
 * ConfigException} that names the full path, the value found and what was expected.
 */
final class ConfigNode {
  private final Config config;
  private final String path;

  ConfigNode(Config config, String path) {
    this.config = config;
    this.path = path;
  }

  String path() {
    return path;
  }

  String pathOf(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  boolean has(String key) {
    return config.hasPath(key);
  }

  /** Fails on keys outside {@code allowed}, naming them and the allowed ones (catches typos). */
  ConfigNode onlyKeys(Set<String> allowed) {
    for (String key : config.root().keySet()) {
      if (!allowed.contains(key)) {
        throw ConfigErrors.unknownKey(pathOf(key), allowed);
      }
    }
    return this;
  }

  private ConfigValue value(String key) {
    if (!config.hasPath(key)) {
      throw ConfigErrors.missingKey(pathOf(key));
    }
    return config.getValue(key);
  }

  String string(String key) {
    ConfigValue v = value(key);
    if (v.valueType() == ConfigValueType.OBJECT || v.valueType() == ConfigValueType.LIST) {
      throw ConfigErrors.expected(pathOf(key), "a string", v.render());
    }
    return String.valueOf(v.unwrapped());
  }

  Optional<String> optString(String key) {
    return has(key) ? Optional.of(string(key)) : Optional.empty();
  }

  String string(String key, String fallback) {
    return optString(key).orElse(fallback);
  }

  int integer(String key, int fallback) {
    if (!has(key)) {
      return fallback;
    }
    try {
      return config.getInt(key);
    } catch (com.typesafe.config.ConfigException e) {
      throw ConfigErrors.expected(pathOf(key), "a whole number", value(key).unwrapped());
    }
  }

  double number(String key, double fallback) {
    if (!has(key)) {
      return fallback;
    }
    try {
      return config.getDouble(key);
    } catch (com.typesafe.config.ConfigException e) {
      throw ConfigErrors.expected(pathOf(key), "a number", value(key).unwrapped());
    }
  }

  boolean bool(String key, boolean fallback) {
    if (!has(key)) {
      return fallback;
    }
    try {
      return config.getBoolean(key);
    } catch (com.typesafe.config.ConfigException e) {
      throw ConfigErrors.expected(pathOf(key), "true or false", value(key).unwrapped());
    }
  }

  Optional<Duration> duration(String key) {
    if (!has(key)) {
      return Optional.empty();
    }
    try {
      return Optional.of(config.getDuration(key));
    } catch (com.typesafe.config.ConfigException e) {
      throw ConfigErrors.badDuration(pathOf(key), value(key).unwrapped());
    }
  }

  ConfigNode object(String key) {
    ConfigValue v = value(key);
    if (v.valueType() != ConfigValueType.OBJECT) {
      throw ConfigErrors.expected(pathOf(key), "an object { ... }", v.unwrapped());
    }
    return new ConfigNode(config.getConfig(key), pathOf(key));
  }

  Optional<ConfigNode> optObject(String key) {
    return has(key) ? Optional.of(object(key)) : Optional.empty();
  }

  /** The elements of a list of objects, each with its indexed path. */
  List<ConfigNode> objectList(String key) {
    ConfigValue v = value(key);
    if (v.valueType() != ConfigValueType.LIST) {
      throw ConfigErrors.expected(pathOf(key), "a list [ ... ]", v.unwrapped());
    }
    List<ConfigNode> out = new ArrayList<>();
    List<? extends ConfigValue> items = config.getList(key);
    for (int i = 0; i < items.size(); i++) {
      ConfigValue item = items.get(i);
      String itemPath = pathOf(key) + "[" + i + "]";
      if (item.valueType() != ConfigValueType.OBJECT) {
        throw ConfigErrors.expected(
            itemPath, "an object { name = ..., type = ... }", item.unwrapped());
      }
      out.add(new ConfigNode(((com.typesafe.config.ConfigObject) item).toConfig(), itemPath));
    }
    return out;
  }

  List<String> stringList(String key) {
    if (!has(key)) {
      return List.of();
    }
    try {
      return config.getStringList(key);
    } catch (com.typesafe.config.ConfigException e) {
      throw ConfigErrors.expected(pathOf(key), "a list of strings", value(key).unwrapped());
    }
  }

  /** A flat map of string values (labels, options, field_mapping); keys may be quoted. */
  Map<String, String> stringMap(String key) {
    Map<String, String> out = new LinkedHashMap<>();
    if (!has(key)) {
      return out;
    }
    ConfigValue v = value(key);
    if (v.valueType() != ConfigValueType.OBJECT) {
      throw ConfigErrors.expected(pathOf(key), "an object of key = value pairs", v.unwrapped());
    }
    for (Map.Entry<String, ConfigValue> e : config.getObject(key).entrySet()) {
      ConfigValue value = e.getValue();
      if (value.valueType() == ConfigValueType.OBJECT) {
        // Dotted keys such as "kafka.security.protocol" arrive as nested objects: flatten them.
        for (Map.Entry<String, ConfigValue> inner :
            ((com.typesafe.config.ConfigObject) value).toConfig().entrySet()) {
          out.put(e.getKey() + "." + inner.getKey(), String.valueOf(inner.getValue().unwrapped()));
        }
      } else if (value.valueType() == ConfigValueType.LIST) {
        throw ConfigErrors.expected(pathOf(key) + "." + e.getKey(), "a string", value.unwrapped());
      } else {
        out.put(e.getKey(), String.valueOf(value.unwrapped()));
      }
    }
    return out;
  }

  Set<String> keys() {
    return config.root().keySet();
  }
}
