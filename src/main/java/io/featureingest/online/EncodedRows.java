package io.featureingest.online;

import java.util.Arrays;

/**
 * A batch of rows already in {@link OnlineCodec}'s bytes: per row the entity key and the value,
 * whose 16-byte header is the row's version. The executors' writer builds these straight from
 * Spark's binary rows, so a key costs two byte arrays instead of lists of boxed values.
 */
public final class EncodedRows {
  private byte[][] keys;
  private byte[][] values;
  private int size;

  public EncodedRows(int capacity) {
    keys = new byte[Math.max(1, capacity)][];
    values = new byte[keys.length][];
  }

  /** The records encoded by the table's codec, in order. */
  public static EncodedRows of(OnlineCodec codec, java.util.List<OnlineRecord> records) {
    EncodedRows rows = new EncodedRows(records.size());
    for (OnlineRecord r : records) {
      rows.add(codec.key(r.key()), codec.encode(r.version(), r.values()));
    }
    return rows;
  }

  public void add(byte[] entityKey, byte[] value) {
    if (value.length < OnlineCodec.HEADER) {
      throw new IllegalArgumentException("an online value has a 16-byte version header");
    }
    if (size == keys.length) {
      keys = Arrays.copyOf(keys, size * 2);
      values = Arrays.copyOf(values, size * 2);
    }
    keys[size] = entityKey;
    values[size] = value;
    size++;
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** The entity key's bytes ({@link OnlineCodec#key}), without table or prefix. */
  public byte[] key(int i) {
    return keys[i];
  }

  public byte[] value(int i) {
    return values[i];
  }

  public long eventMicros(int i) {
    return OnlineCodec.eventMicros(values[i]);
  }

  public long createdMicros(int i) {
    return OnlineCodec.createdMicros(values[i]);
  }

  public void clear() {
    Arrays.fill(keys, 0, size, null);
    Arrays.fill(values, 0, size, null);
    size = 0;
  }
}
