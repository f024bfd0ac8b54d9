package io.featureingest.online.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The newer-wins write of {@link RedisOnlineStore} (rule 4), one batch of keys at a time. Keys the
 * server lacks are written with {@code MSETNX} or {@code SET NX} (any version is newer than none);
 * the others go through a Lua script that does the compare-and-set of the version header and the
 * SET in one step per key. Several keys share one EVALSHA call (each key's step stays atomic, the
 * call is just cheaper than one per key), and the calls of a batch go out in one pipeline. In
 * Cluster mode only keys of the same hash slot share a call, and the pipeline routes each call to
 * its slot's node. Which way a batch takes first follows what the previous batches met. Not
 * thread-safe: one per store connection. Failures propagate; the store retries the whole batch.
 */
final class RedisWrites {
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
      local absent = 0
      for i = 1, #KEYS do
        local key = KEYS[i]
        local value = ARGV[2 * i - 1]
        local stored = latest[key] or old[i]
        local newer = true
        if not stored then
          absent = absent + 1
        else
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
      return {landed, absent}
      """;

  /** Keys per EVALSHA call: big enough to amortise the script call, small enough to not stall. */
  static final int KEYS_PER_CALL = 100;

  private static final byte[] SCRIPT = CAS_SCRIPT.getBytes(StandardCharsets.UTF_8);
  private static final byte[] SHA = sha1(CAS_SCRIPT);
  private static final byte[] NO_EXPIRY = new byte[0];

  /**
   * How the next batch goes out, from what the last ones met: all keys absent ({@link Mode#FRESH},
   * one {@code MSETNX}), most absent ({@link Mode#MOSTLY_ABSENT}, {@code SET NX} per key), or most
   * present ({@link Mode#MOSTLY_PRESENT}, the script).
   */
  enum Mode {
    FRESH,
    MOSTLY_ABSENT,
    MOSTLY_PRESENT
  }

  private final UnifiedJedis client;
  private final boolean cluster;
  private final int batchSize;
  private Mode mode = Mode.FRESH;

  RedisWrites(UnifiedJedis client, boolean cluster, int batchSize) {
    this.client = client;
    this.cluster = cluster;
    this.batchSize = Math.max(1, batchSize);
  }

  /**
   * One batch, keys distinct or not; {@code expireAt} in epoch millis, -1 for none. Returns the
   * keys that landed (newer than what the server held).
   */
  long write(byte[][] keys, byte[][] values, long[] expireAt, boolean anyExpiry) {
    int n = keys.length;
    return switch (mode) {
      case FRESH ->
          anyExpiry || cluster
              ? setIfAbsent(keys, values, expireAt, allOf(n))
              : setAllIfAbsent(keys, values, expireAt);
      case MOSTLY_ABSENT -> setIfAbsent(keys, values, expireAt, allOf(n));
      case MOSTLY_PRESENT -> scriptFirst(keys, values, expireAt);
    };
  }

  /**
   * Keys the server lacks, the first write of a table or a new day's entities, as {@code MSETNX}
   * commands of {@code batch_size} keys, all in one pipeline: each sets all its keys or, when any
   * of them exists, none, atomically, and any version is newer than none (rule 4). One command
   * instead of one per key costs the server a fraction of a {@code SET} per key. The keys of a
   * refused command go the per-key way. Not for keys with an expiry ({@code MSETNX} takes none),
   * nor across a Cluster's slots, nor for a command that would hold a key twice (the last would
   * win, not the newer).
   */
  private long setAllIfAbsent(byte[][] keys, byte[][] values, long[] expireAt) {
    int chunk = batchSize;
    List<int[]> sent = new ArrayList<>();
    List<Response<Long>> responses = new ArrayList<>();
    List<Integer> rest = new ArrayList<>();
    try (AbstractPipeline p = client.pipelined()) {
      for (int from = 0; from < keys.length; from += chunk) {
        int to = Math.min(keys.length, from + chunk);
        if (!distinct(keys, from, to)) {
          addRange(rest, from, to);
          continue;
        }
        byte[][] pairs = new byte[2 * (to - from)][];
        for (int i = from; i < to; i++) {
          pairs[2 * (i - from)] = keys[i];
          pairs[2 * (i - from) + 1] = values[i];
        }
        sent.add(new int[] {from, to});
        responses.add(p.msetnx(pairs));
      }
      p.sync();
    }
    long landed = 0;
    for (int c = 0; c < sent.size(); c++) {
      int[] range = sent.get(c);
      if (responses.get(c).get() == 1) {
        landed += range[1] - range[0];
      } else {
        addRange(rest, range[0], range[1]);
      }
    }
    return rest.isEmpty() ? landed : landed + setIfAbsent(keys, values, expireAt, rest);
  }

  private static void addRange(List<Integer> to, int from, int end) {
    for (int i = from; i < end; i++) {
      to.add(i);
    }
  }

  /** No key twice in the batch? Digests are uniform, so their first 8 bytes make a good hash. */
  static boolean distinct(byte[][] keys) {
    return distinct(keys, 0, keys.length);
  }

  private static boolean distinct(byte[][] keys, int from, int to) {
    int size = Integer.highestOneBit(Math.max(2, to - from) * 2) * 2;
    long[] slots = new long[size];
    boolean[] used = new boolean[size];
    for (int k = from; k < to; k++) {
      byte[] key = keys[k];
      long h = 0;
      for (int b = key.length - 8; b < key.length; b++) {
        h = (h << 8) | (key[b] & 0xFF);
      }
      int at = (int) (h ^ (h >>> 32)) & (size - 1);
      while (used[at]) {
        if (slots[at] == h) {
          return false; // the same 64 bits: a repeated key (or, at 2^-64, a false alarm)
        }
        at = (at + 1) & (size - 1);
      }
      used[at] = true;
      slots[at] = h;
    }
    return true;
  }

  /**
   * The way for keys the store mostly does not have: {@code SET NX} per key is atomic and any
   * version is newer than none, so it keeps rule 4 at the cost of a plain SET. Keys that exist go
   * through the script. While most keys of a batch turn out to exist, later batches skip straight
   * to the script; while most keys the script sees are absent, they come back to this path.
   */
  private long setIfAbsent(byte[][] keys, byte[][] values, long[] expireAt, List<Integer> which) {
    List<Response<String>> responses = new ArrayList<>(which.size());
    try (AbstractPipeline p = client.pipelined()) {
      for (int i : which) {
        SetParams params = SetParams.setParams().nx();
        if (expireAt[i] >= 0) {
          params.pxAt(expireAt[i]);
        }
        responses.add(p.set(keys[i], values[i], params));
      }
      p.sync();
    }
    List<Integer> present = new ArrayList<>();
    for (int j = 0; j < which.size(); j++) {
      if (responses.get(j).get() == null) {
        present.add(which.get(j));
      }
    }
    mode =
        present.isEmpty()
            ? Mode.FRESH
            : present.size() * 2 <= which.size() ? Mode.MOSTLY_ABSENT : Mode.MOSTLY_PRESENT;
    long landed = which.size() - present.size();
    return present.isEmpty() ? landed : landed + compareAndSet(keys, values, expireAt, present)[0];
  }

  /** The whole batch through the script; what it found absent decides the next batch's way. */
  private long scriptFirst(byte[][] keys, byte[][] values, long[] expireAt) {
    long[] counts = compareAndSet(keys, values, expireAt, allOf(keys.length));
    if (counts[1] * 2 > keys.length) {
      mode = counts[1] == keys.length ? Mode.FRESH : Mode.MOSTLY_ABSENT;
    }
    return counts[0];
  }

  private static List<Integer> allOf(int n) {
    List<Integer> all = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      all.add(i);
    }
    return all;
  }

  /**
   * The script on the given records, {@link #KEYS_PER_CALL} keys (of one slot) per call: {landed,
   * keys that were absent}.
   */
  private long[] compareAndSet(
      byte[][] keys, byte[][] values, long[] expireAt, List<Integer> which) {
    List<List<byte[]>[]> calls = new ArrayList<>();
    Map<Integer, List<byte[]>[]> open = new LinkedHashMap<>();
    for (int i : which) {
      int group = cluster ? JedisClusterCRC16.getSlot(keys[i]) : 0;
      List<byte[]>[] call = open.get(group);
      if (call == null || call[0].size() >= KEYS_PER_CALL) {
        @SuppressWarnings("unchecked")
        List<byte[]>[] fresh = new List[] {new ArrayList<>(), new ArrayList<>()};
        call = fresh;
        open.put(group, call);
        calls.add(call);
      }
      call[0].add(keys[i]);
      call[1].add(values[i]);
      call[1].add(
          expireAt[i] < 0
              ? NO_EXPIRY
              : Long.toString(expireAt[i]).getBytes(StandardCharsets.US_ASCII));
    }
    return send(calls);
  }

  /** Runs the calls in one pipeline: {landed, keys that were absent}. */
  private long[] send(List<List<byte[]>[]> calls) {
    List<Response<Object>> responses = new ArrayList<>(calls.size());
    try (AbstractPipeline p = client.pipelined()) {
      for (List<byte[]>[] call : calls) {
        responses.add(p.evalsha(SHA, call[0], call[1]));
      }
      p.sync();
    }
    long[] counts = new long[2];
    List<List<byte[]>[]> unloaded = new ArrayList<>();
    for (int i = 0; i < calls.size(); i++) {
      try {
        add(counts, responses.get(i).get());
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
        add(counts, r.get());
      }
    }
    return counts;
  }

  private static void add(long[] counts, Object reply) {
    List<?> pair = (List<?>) reply;
    counts[0] += (Long) pair.get(0);
    counts[1] += (Long) pair.get(1);
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
