package io.featureingest.spec;

import java.util.List;
import java.util.Optional;

/**
 * Redis, standalone or Cluster ({@code cluster = true}, seed nodes in {@code nodes}), with AUTH
 * (password, optionally an ACL user) and TLS (the JVM's trust store, or the CA certificates of a
 * PEM file in {@code tls_ca_file}, as Memorystore hands out). The password never appears in {@link
 * #toString()}.
 */
public record RedisStoreConfig(
    String host,
    int port,
    List<String> nodes,
    boolean cluster,
    Optional<String> user,
    Optional<String> password,
    boolean tls,
    Optional<String> tlsCaFile,
    boolean tlsVerifyHost,
    int database,
    int timeoutMs,
    int batchSize,
    int maxAttempts,
    String keyPrefix)
    implements OnlineStoreConfig {
  public RedisStoreConfig {
    if (host == null || host.isBlank()) {
      throw ConfigErrors.required("online_store.host", "the Redis host");
    }
    if (port <= 0 || port > 65535) {
      throw ConfigErrors.expected("online_store.port", "a TCP port between 1 and 65535", port);
    }
    nodes = nodes == null ? List.of() : List.copyOf(nodes);
    user = user == null ? Optional.empty() : user;
    password = password == null ? Optional.empty() : password.filter(p -> !p.isEmpty());
    if (batchSize <= 0) {
      throw ConfigErrors.notPositive("online_store.batch_size", batchSize);
    }
    keyPrefix = keyPrefix == null ? "" : keyPrefix;
    tlsCaFile = tlsCaFile == null ? Optional.empty() : tlsCaFile;
    if (tlsCaFile.isPresent() && !tls) {
      throw ConfigErrors.tlsCaWithoutTls(tlsCaFile.get());
    }
  }

  /** host:port pairs to connect to: the seed nodes in cluster mode, else host:port. */
  public List<String> endpoints() {
    return nodes.isEmpty() ? List.of(host + ":" + port) : nodes;
  }

  @Override
  public String type() {
    return "redis";
  }

  /** "redis host:port" or "redis cluster seed1,seed2": endpoints only, never the password. */
  @Override
  public String describe() {
    return (cluster ? "redis cluster " : "redis ") + String.join(",", endpoints());
  }

  @Override
  public String toString() {
    return "RedisStoreConfig[endpoints="
        + endpoints()
        + ", cluster="
        + cluster
        + ", user="
        + user.orElse("")
        + ", password="
        + (password.isPresent() ? "***" : "none")
        + ", tls="
        + tls
        + "]";
  }
}
