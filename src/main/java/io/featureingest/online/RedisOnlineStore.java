package io.featureingest.online;

import io.featureingest.spec.ConfigException;
import io.featureingest.spec.RedisStoreConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Redis, standalone or Cluster. One string per (table, entity key): key = {@code key_prefix + table
 * + ":" + entity key}, value = {@link OnlineCodec}'s bytes, expiring at event time + max_age. A Lua
 * script does the compare-and-set of the version header and the SET in one step per key; several
 * keys share one EVALSHA call (each key's step stays atomic, the call is just cheaper than one per
 * key), and the calls of a batch go out in one pipeline. In Cluster mode only keys of the same hash
 * slot share a call, and the pipeline routes each call to its slot's node.
 */
public final class RedisOnlineStore implements OnlineStore {
  /**
   * Per key: newer than the stored value (or the value this call already wrote for it)? Then set
   * it. One MGET and one MSET per call keep the per-key cost near a plain SET; with max_age each
   * landed key gets its own SET ... PXAT. The script runs alone, so each compare-and-set is atomic.
   */
  static final String CAS_SCRIPT =
      """
      local old = redis.call('MGET', unpack(KEYS))
      local latest = {}
      local plain = {}
      local landed = 0
      for i = 1, #KEYS do
        local key = KEYS[i]
        local value = ARGV[2 * i - 1]
        local stored = latest[key] or old[i]
        local newer = true
        if stored then
          local ne, nc = struct.unpack('>i8>i8', value)
          local oe, oc = struct.unpack('>i8>i8', stored)
          newer = ne > oe or (ne == oe and nc > oc)
        end
        if newer then
          latest[key] = value
          local at = ARGV[2 * i]
          if at == '' then
            plain[#plain + 1] = key
            plain[#plain + 1] = value
          else
            redis.call('SET', key, value, 'PXAT', at)
          end
          landed = landed + 1
        end
      end
      if #plain > 0 then
        redis.call('MSET', unpack(plain))
      end
      return landed
      """;

  /** Keys per EVALSHA call: big enough to amortise the script call, small enough to not stall. */
  static final int KEYS_PER_CALL = 100;

  private static final byte[] SCRIPT = CAS_SCRIPT.getBytes(StandardCharsets.UTF_8);
  private static final byte[] SHA = sha1(CAS_SCRIPT);
  private static final byte[] NO_EXPIRY = new byte[0];

  private final RedisStoreConfig config;
  private final UnifiedJedis client;
  private final Retry retry;
  private final byte[] prefix;
  private final Map<OnlineTable, OnlineCodec> codecs = new HashMap<>();

  public RedisOnlineStore(RedisStoreConfig config) {
    this.config = config;
    this.retry =
        new Retry(
            config.maxAttempts(),
            describe(config),
            e ->
                e instanceof JedisConnectionException
                    || e instanceof JedisClusterOperationException
                    || isLoading(e));
    this.prefix = config.keyPrefix().getBytes(StandardCharsets.UTF_8);
    JedisClientConfig clientConfig =
        DefaultJedisClientConfig.builder()
            .user(config.user().orElse(null))
            .password(config.password().orElse(null))
            .database(config.database())
            .ssl(config.tls())
            .timeoutMillis(config.timeoutMs())
            .clientName("feature-ingest")
            .build();
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

  static String describe(RedisStoreConfig config) {
    return (config.cluster() ? "redis cluster " : "redis ") + String.join(",", config.endpoints());
  }

  @Override
  public String describe() {
    return describe(config);
  }

  private OnlineCodec codec(OnlineTable table) {
    return codecs.computeIfAbsent(table, OnlineCodec::new);
  }

  byte[] redisKey(OnlineTable table, OnlineCodec codec, List<Object> entity) {
    byte[] name = (table.name() + ":").getBytes(StandardCharsets.UTF_8);
    byte[] key = codec.key(entity);
    byte[] out = new byte[prefix.length + name.length + key.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(name, 0, out, prefix.length, name.length);
    System.arraycopy(key, 0, out, prefix.length + name.length, key.length);
    return out;
  }

  @Override
  public long write(OnlineTable table, List<OnlineRecord> records) {
    if (records.isEmpty()) {
      return 0;
    }
    OnlineCodec codec = codec(table);
    // Calls are built once; a retry sends the same calls again (compare-and-set makes it safe).
    List<List<byte[]>[]> calls = new ArrayList<>();
    Map<Integer, List<byte[]>[]> open = new LinkedHashMap<>();
    for (OnlineRecord r : records) {
      byte[] key = redisKey(table, codec, r.key());
      int group = config.cluster() ? JedisClusterCRC16.getSlot(key) : 0;
      List<byte[]>[] call = open.get(group);
      if (call == null || call[0].size() >= KEYS_PER_CALL) {
        @SuppressWarnings("unchecked")
        List<byte[]>[] fresh = new List[] {new ArrayList<>(), new ArrayList<>()};
        call = fresh;
        open.put(group, call);
        calls.add(call);
      }
      call[0].add(key);
      call[1].add(codec.encode(r.version(), r.values()));
      call[1].add(
          table.hasMaxAge()
              ? Long.toString(r.version().eventMillis() + table.maxAgeMillis())
                  .getBytes(StandardCharsets.US_ASCII)
              : NO_EXPIRY);
    }
    return guarded("writing " + records.size() + " rows of " + table.name(), () -> send(calls));
  }

  private long send(List<List<byte[]>[]> calls) {
    List<Response<Object>> responses = new ArrayList<>(calls.size());
    try (AbstractPipeline p = client.pipelined()) {
      for (List<byte[]>[] call : calls) {
        responses.add(p.evalsha(SHA, call[0], call[1]));
      }
      p.sync();
    }
    long landed = 0;
    List<List<byte[]>[]> unloaded = new ArrayList<>();
    for (int i = 0; i < calls.size(); i++) {
      try {
        landed += (Long) responses.get(i).get();
      } catch (JedisDataException e) {
        if (e.getMessage() == null || !e.getMessage().startsWith("NOSCRIPT")) {
          throw e;
        }
        unloaded.add(calls.get(i)); // that node lacks the script: EVAL runs and caches it there
      }
    }
    if (!unloaded.isEmpty()) {
      List<Response<Object>> again = new ArrayList<>(unloaded.size());
      try (AbstractPipeline p = client.pipelined()) {
        for (List<byte[]>[] call : unloaded) {
          again.add(p.eval(SCRIPT, call[0], call[1]));
        }
        p.sync();
      }
      for (Response<Object> r : again) {
        landed += (Long) r.get();
      }
    }
    return landed;
  }

  @Override
  public List<Optional<OnlineRecord>> read(OnlineTable table, List<List<Object>> keys) {
    OnlineCodec codec = codec(table);
    List<byte[]> values =
        guarded(
            "reading " + keys.size() + " keys of " + table.name(),
            () -> {
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
    }
  }

  private ConfigException authFailure(JedisAccessControlException e) {
    return new ConfigException(
        "online store "
            + describe()
            + " refused the credentials ("
            + e.getMessage()
            + "); check online_store.user and online_store.password");
  }

  @Override
  public void close() {
    client.close();
  }

  private static byte[] sha1(String script) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).getBytes(StandardCharsets.US_ASCII);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
