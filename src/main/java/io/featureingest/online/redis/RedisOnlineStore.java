package io.featureingest.online.redis;

import io.featureingest.online.EncodedRows;
import io.featureingest.online.OnlineCodec;
import io.featureingest.online.OnlineRecord;
import io.featureingest.online.OnlineStore;
import io.featureingest.online.OnlineTable;
import io.featureingest.online.Retry;
import io.featureingest.spec.ConfigErrors;
import io.featureingest.spec.ConfigException;
import io.featureingest.spec.RedisStoreConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLParameters;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Redis, standalone or Cluster. One string per (table, entity key): key = {@code key_prefix} + a
 * 14-byte digest of table and entity key ({@link #redisKey}), value = {@link OnlineCodec}'s bytes,
 * expiring at event time + max_age. This class connects, makes the keys, reads, and maps failures
 * to retries and exit codes; the newer-wins write protocol ({@code MSETNX}, {@code SET NX}, the
 * compare-and-set script) is {@link RedisWrites}.
 */
public final class RedisOnlineStore implements OnlineStore {
  private static final int TAG_BYTES = 2;
  private static final int DIGEST_BYTES = 12;

  private final RedisStoreConfig config;
  private final UnifiedJedis client;
  private final Retry retry;
  private final byte[] prefix;
  private final Map<OnlineTable, OnlineCodec> codecs = new HashMap<>();
  private OnlineTable lastTable;
  private OnlineCodec lastCodec;
  private final MessageDigest md5 = md5();
  private final Map<String, byte[]> tags = new HashMap<>();
  private final byte[] digest = new byte[16];
  private final RedisWrites writes;

  public RedisOnlineStore(RedisStoreConfig config) {
    this.config = config;
    this.retry =
        new Retry(
            config.maxAttempts(),
            config.describe(),
            e ->
                (e instanceof JedisConnectionException && !isTlsFailure(e))
                    || e instanceof JedisClusterOperationException
                    || isLoading(e));
    this.prefix = config.keyPrefix().getBytes(StandardCharsets.UTF_8);
    DefaultJedisClientConfig.Builder builder =
        DefaultJedisClientConfig.builder()
            .user(config.user().orElse(null))
            .password(config.password().orElse(null))
            .database(config.database())
            .ssl(config.tls())
            .timeoutMillis(config.timeoutMs())
            .clientName("feature-ingest");
    if (config.tls()) {
      if (config.tlsVerifyHost()) { // the certificate must name the host we dial, as in HTTPS
        SSLParameters verifyHost = new SSLParameters();
        verifyHost.setEndpointIdentificationAlgorithm("HTTPS");
        builder.sslParameters(verifyHost);
      }
      config.tlsCaFile().ifPresent(f -> builder.sslSocketFactory(TlsTrust.socketFactory(f)));
    }
    JedisClientConfig clientConfig = builder.build();
    try {
      this.client =
          retry.call(
              "connecting",
              () -> {
                if (config.cluster()) {
                  Set<HostAndPort> nodes = new LinkedHashSet<>();
                  config.endpoints().forEach(e -> nodes.add(HostAndPort.from(e)));
                  return new JedisCluster(nodes, clientConfig, config.maxAttempts());
                }
                return new JedisPooled(new HostAndPort(config.host(), config.port()), clientConfig);
              });
    } catch (JedisAccessControlException e) {
      throw authFailure(e);
    }
    this.writes = new RedisWrites(client, config.cluster(), config.batchSize());
  }

  /**
   * An opener for executors. It carries the settings as plain values because the config record is
   * not serializable; the password travels inside Spark's task closure, never in a log line.
   */
  public static OnlineStore.Opener opener(RedisStoreConfig c) {
    String host = c.host();
    int port = c.port();
    List<String> nodes = List.copyOf(c.nodes());
    boolean cluster = c.cluster();
    String user = c.user().orElse(null);
    String password = c.password().orElse(null);
    boolean tls = c.tls();
    String tlsCaFile = c.tlsCaFile().orElse(null);
    boolean tlsVerifyHost = c.tlsVerifyHost();
    int database = c.database();
    int timeoutMs = c.timeoutMs();
    int batchSize = c.batchSize();
    int maxAttempts = c.maxAttempts();
    String keyPrefix = c.keyPrefix();
    return () ->
        new RedisOnlineStore(
            new RedisStoreConfig(
                host,
                port,
                nodes,
                cluster,
                Optional.ofNullable(user),
                Optional.ofNullable(password),
                tls,
                Optional.ofNullable(tlsCaFile),
                tlsVerifyHost,
                database,
                timeoutMs,
                batchSize,
                maxAttempts,
                keyPrefix));
  }

  /**
   * A restarted server with persistence accepts connections but answers {@code LOADING} until it
   * has read its data back (minutes for a large data set): it is coming back, so retry.
   */
  static boolean isLoading(RuntimeException e) {
    return e instanceof JedisDataException
        && e.getMessage() != null
        && e.getMessage().startsWith("LOADING");
  }

  @Override
  public String describe() {
    return config.describe();
  }

  private OnlineCodec codec(OnlineTable table) {
    // Asked once per key: a record's hashCode walks its four lists every time (it was a quarter of
    // the feature server's CPU on 100-key reads), while callers pass the same table again and
    // again.
    if (table != lastTable) {
      lastCodec = codecs.computeIfAbsent(table, OnlineCodec::new);
      lastTable = table;
    }
    return lastCodec;
  }

  /**
   * {@code key_prefix}, 2 bytes of MD5(table name), then 12 bytes of MD5(table name, 0, entity
   * key): 14 bytes without a prefix, which Redis keeps in its 16-byte allocation class whatever the
   * entity values are (a readable {@code trips:driver_499999} takes 32 bytes; 8 MB per million
   * keys). The table tag groups a table's keys for SCAN; 96 bits make a collision between two
   * entity keys of a table about as likely as one in 10^11 at a billion keys.
   */
  byte[] redisKey(OnlineTable table, OnlineCodec codec, List<Object> entity) {
    return redisKey(table, codec.key(entity));
  }

  private byte[] redisKey(OnlineTable table, byte[] entityKey) {
    byte[] tag = tags.computeIfAbsent(table.name(), t -> md5.digest(utf8(t)));
    return redisKey(md5, digest, prefix, tag, codec(table).tableName(), entityKey);
  }

  /** The key of an entity of a table, as {@link #redisKey} makes it: for tests and tools. */
  public static byte[] redisKey(String keyPrefix, OnlineTable table, List<Object> entity) {
    MessageDigest md5 = md5();
    byte[] tag = md5.digest(utf8(table.name()));
    OnlineCodec codec = new OnlineCodec(table);
    return redisKey(md5, new byte[16], utf8(keyPrefix), tag, codec.tableName(), codec.key(entity));
  }

  private static byte[] redisKey(
      MessageDigest md5,
      byte[] digest,
      byte[] prefix,
      byte[] tag,
      byte[] tableName,
      byte[] entityKey) {
    md5.update(tableName);
    md5.update((byte) 0);
    md5.update(entityKey);
    try {
      md5.digest(digest, 0, digest.length);
    } catch (java.security.DigestException e) {
      throw new IllegalStateException(e);
    }
    byte[] out = new byte[prefix.length + TAG_BYTES + DIGEST_BYTES];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(tag, 0, out, prefix.length, TAG_BYTES);
    System.arraycopy(digest, 0, out, prefix.length + TAG_BYTES, DIGEST_BYTES);
    return out;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public long write(OnlineTable table, List<OnlineRecord> records) {
    return writeEncoded(table, EncodedRows.of(codec(table), records));
  }

  @Override
  public long writeEncoded(OnlineTable table, EncodedRows rows) {
    if (rows.isEmpty()) {
      return 0;
    }
    int n = rows.size();
    byte[][] keys = new byte[n][];
    byte[][] values = new byte[n][];
    long[] expireAt = new long[n];
    for (int i = 0; i < n; i++) {
      keys[i] = redisKey(table, rows.key(i));
      values[i] = rows.value(i);
      expireAt[i] =
          table.hasMaxAge()
              ? java.util.concurrent.TimeUnit.MICROSECONDS.toMillis(rows.eventMicros(i))
                  + table.maxAgeMillis()
              : -1;
    }
    // A retry sends the same writes again: compare-and-set makes that safe.
    return guarded(
        "writing " + n + " rows of " + table.name(),
        () -> writes.write(keys, values, expireAt, table.hasMaxAge()));
  }

  @Override
  public List<Optional<OnlineRecord>> read(OnlineTable table, List<List<Object>> keys) {
    OnlineCodec codec = codec(table);
    List<byte[]> values =
        guarded(
            "reading " + keys.size() + " keys of " + table.name(),
            () -> {
              if (keys.isEmpty()) {
                return List.<byte[]>of();
              }
              if (!config.cluster()) {
                // One MGET instead of a GET per key: a 100-key read costs the server one command
                // instead of a hundred (standalone only: a Cluster's keys live in many slots).
                byte[][] redisKeys = new byte[keys.size()][];
                for (int i = 0; i < redisKeys.length; i++) {
                  redisKeys[i] = redisKey(table, codec, keys.get(i));
                }
                return client.mget(redisKeys);
              }
              List<Response<byte[]>> responses = new ArrayList<>(keys.size());
              try (AbstractPipeline p = client.pipelined()) {
                for (List<Object> key : keys) {
                  responses.add(p.get(redisKey(table, codec, key)));
                }
                p.sync();
              }
              return responses.stream().map(Response::get).toList();
            });
    List<Optional<OnlineRecord>> out = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      byte[] v = values.get(i);
      out.add(
          v == null
              ? Optional.empty()
              : Optional.of(
                  new OnlineRecord(keys.get(i), OnlineCodec.version(v), codec.decode(v))));
    }
    return out;
  }

  private <T> T guarded(String what, java.util.function.Supplier<T> action) {
    try {
      return retry.call(what, action);
    } catch (JedisAccessControlException e) {
      throw authFailure(e);
    } catch (JedisConnectionException e) {
      if (isTlsFailure(e)) {
        throw ConfigErrors.tlsHandshakeFailed(config, e.getCause().getMessage());
      }
      throw e;
    }
  }

  /** A certificate the client refused: retrying cannot help, the settings must change. */
  static boolean isTlsFailure(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof javax.net.ssl.SSLException) {
        return true;
      }
    }
    return false;
  }

  private ConfigException authFailure(JedisAccessControlException e) {
    return ConfigErrors.credentialsRefused(config, e.getMessage());
  }

  @Override
  public void close() {
    client.close();
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
