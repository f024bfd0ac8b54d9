package io.featureingest.spec;

import com.typesafe.config.Config;
import java.util.Map;
import java.util.Set;

/**
 * The feature server's settings ({@code serve { ... }} in the config) and the push sources ({@code
 * push_sources { NAME = TABLE }}), which name the table a Feast push body's {@code
 * push_source_name} writes to.
 *
 * <pre>{@code
 * ServeConfig serve = ServeConfig.parse(config).withAddress("0.0.0.0", 6566);
 * }</pre>
 */
public record ServeConfig(
    String host,
    int port,
    int threads,
    int maxEntityRows,
    int maxBodyBytes,
    int storeMaxAttempts,
    Map<String, String> pushSources) {
  private static final Set<String> KEYS =
      Set.of("host", "port", "threads", "max_entity_rows", "max_body_bytes", "store_max_attempts");

  public ServeConfig {
    if (port < 0 || port > 65535) {
      throw ConfigException.at("serve.port", "a port between 0 and 65535", port);
    }
    if (threads < 1) {
      throw ConfigException.at("serve.threads", "at least 1", threads);
    }
    if (maxEntityRows < 1) {
      throw ConfigException.at("serve.max_entity_rows", "at least 1", maxEntityRows);
    }
    if (maxBodyBytes < 1024) {
      throw ConfigException.at("serve.max_body_bytes", "at least 1024", maxBodyBytes);
    }
    if (storeMaxAttempts < 1) {
      throw ConfigException.at("serve.store_max_attempts", "at least 1", storeMaxAttempts);
    }
    pushSources = Map.copyOf(pushSources);
  }

  /**
   * Reads {@code serve} and {@code push_sources} of a resolved config (reference.conf's defaults).
   */
  public static ServeConfig parse(Config config) {
    ConfigNode root = new ConfigNode(config, "");
    ConfigNode serve =
        root.optObject("serve")
            .orElse(new ConfigNode(com.typesafe.config.ConfigFactory.empty(), "serve"));
    serve.onlyKeys(KEYS);
    return new ServeConfig(
        serve.string("host", "127.0.0.1"),
        serve.integer("port", 6566),
        serve.integer("threads", 16),
        serve.integer("max_entity_rows", 10_000),
        serve.integer("max_body_bytes", 16 << 20),
        serve.integer("store_max_attempts", 2),
        root.stringMap("push_sources"));
  }

  /** The same settings on another address (the {@code --host} and {@code --port} flags). */
  public ServeConfig withAddress(String host, int port) {
    return new ServeConfig(
        host, port, threads, maxEntityRows, maxBodyBytes, storeMaxAttempts, pushSources);
  }
}
