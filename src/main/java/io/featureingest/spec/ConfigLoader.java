package io.featureingest.spec;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Resolves the layers of configuration, highest first: {@code --set key=value}, the {@code
 * --config} file, {@code conf/defaults.conf} in the working directory, then {@code reference.conf}.
 * Environment variables come in through HOCON's {@code ${?VAR}}.
 */
public final class ConfigLoader {
  private static final Pattern SECRET =
      Pattern.compile("(?i).*(password|secret|token|credential|sasl\\.jaas|private_key).*");

  private ConfigLoader() {}

  public static Config load(File configFile, List<String> overrides) {
    Config layered = ConfigFactory.empty();
    for (String override : overrides) {
      layered = layered.withFallback(parseOverride(override));
    }
    if (configFile != null) {
      if (!configFile.isFile()) {
        throw ConfigErrors.noConfigFile(configFile);
      }
      layered = layered.withFallback(parseFile(configFile));
    }
    File defaults = new File("conf", "defaults.conf");
    if (defaults.isFile()) {
      layered = layered.withFallback(parseFile(defaults));
    }
    try {
      return layered.withFallback(ConfigFactory.defaultReference()).resolve();
    } catch (com.typesafe.config.ConfigException e) {
      throw ConfigErrors.unresolvedConfig(e);
    }
  }

  private static Config parseFile(File file) {
    try {
      return ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false));
    } catch (com.typesafe.config.ConfigException e) {
      throw ConfigErrors.notHocon(file, e);
    }
  }

  static Config parseOverride(String override) {
    int eq = override.indexOf('=');
    if (eq <= 0) {
      throw ConfigErrors.badOverride(override);
    }
    String key = override.substring(0, eq).trim();
    String value = override.substring(eq + 1);
    try {
      return ConfigFactory.parseString(key + " = " + value);
    } catch (com.typesafe.config.ConfigException e) {
      // Not a HOCON value (a path with colons, say): take it as a plain string.
      try {
        return ConfigFactory.parseMap(Map.of(key, value));
      } catch (com.typesafe.config.ConfigException bad) {
        throw ConfigErrors.badOverrideKey(override, key);
      }
    }
  }

  /** The config as sorted key = value lines with secrets masked, for logging once per run. */
  public static String describeMasked(Config config) {
    Map<String, String> sorted = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
      if (e.getValue().origin().description().contains("system properties")
          || e.getValue().origin().description().contains("env variables")) {
        continue;
      }
      sorted.put(e.getKey(), isSecret(e.getKey()) ? "***" : e.getValue().render());
    }
    StringBuilder out = new StringBuilder();
    sorted.forEach((k, v) -> out.append(k).append(" = ").append(v).append('\n'));
    return out.toString();
  }

  public static boolean isSecret(String key) {
    return SECRET.matcher(key).matches();
  }
}
