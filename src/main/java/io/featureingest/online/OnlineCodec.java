package io.featureingest.online;

import io.featureingest.spec.ConfigErrors;
import io.featureingest.spec.ValueType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The byte layout shared by both stores (docs/online-store.md):
 *
 * <ul>
 *   <li>entity key: each value as text (numbers in decimal, strings as UTF-8, BYTES raw); with
 *       several entities each part is prefixed by its varint length;
 *   <li>value: 8 bytes event micros, 8 bytes created micros (big-endian, {@link Version#NO_CREATED}
 *       when none), then per non-null feature a 2-byte field id, a varint length and the payload.
 *       The field id is CRC32("name:TYPE") &amp; 0xFFFF, so renaming or retyping a feature makes
 *       old bytes unreadable for it (absent) instead of misread, and a feature added to the spec
 *       does not move the others.
 * </ul>
 *
 * Payloads: INT32, INT64, UNIX_TIMESTAMP (micros) zigzag varints; FLOAT, DOUBLE IEEE big-endian;
 * BOOL one byte; STRING UTF-8; BYTES raw; lists a varint count then per element a varint (length +
 * 1, 0 for a null element) and the element's payload.
 */
public final class OnlineCodec {
  public static final int HEADER = 16;

  private final OnlineTable table;
  private final int[] ids;
  private final Map<Integer, Integer> indexById = new HashMap<>();
  private final byte[] tableName;

  public OnlineCodec(OnlineTable table) {
    this.table = table;
    this.tableName = table.name().getBytes(StandardCharsets.UTF_8);
    this.ids = new int[table.featureNames().size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = fieldId(table.featureNames().get(i), table.featureTypes().get(i));
      Integer clash = indexById.put(ids[i], i);
      if (clash != null) {
        throw ConfigErrors.fieldIdClash(
            table.name(), table.featureNames().get(clash), table.featureNames().get(i), ids[i]);
      }
    }
  }

  public OnlineTable table() {
    return table;
  }

  /** The table's name in UTF-8, which the Redis key digest starts with (do not modify). */
  public byte[] tableName() {
    return tableName;
  }

  /** The field id of the feature at {@code index} in the table's feature order. */
  int id(int index) {
    return ids[index];
  }

  static int fieldId(String name, ValueType type) {
    CRC32 crc = new CRC32();
    crc.update((name + ":" + type.name()).getBytes(StandardCharsets.UTF_8));
    return (int) (crc.getValue() & 0xFFFF);
  }

  /** The entity key's bytes, without table or prefix. */
  public byte[] key(List<Object> values) {
    if (values.size() != table.entityNames().size()) {
      throw new IllegalArgumentException(
          "table " + table.name() + " has entities " + table.entityNames() + ", got " + values);
    }
    if (values.size() == 1) {
      return keyPart(values.get(0));
    }
    Bytes out = new Bytes(32);
    for (Object v : values) {
      byte[] part = keyPart(v);
      out.varint(part.length);
      out.write(part, 0, part.length);
    }
    return out.toByteArray();
  }

  static byte[] keyPart(Object v) {
    if (v == null) {
      throw new IllegalArgumentException("an entity value is null");
    }
    if (v instanceof byte[] b) {
      return b;
    }
    if (v instanceof Instant t) {
      return Long.toString(Version.micros(t)).getBytes(StandardCharsets.US_ASCII);
    }
    if (v instanceof Boolean b) {
      return new byte[] {(byte) (b ? '1' : '0')};
    }
    return v.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Version header plus the non-null features. */
  public byte[] encode(Version version, List<Object> values) {
    Bytes out = new Bytes(HEADER + 16 * ids.length);
    out.fixed64(version.eventMicros());
    out.fixed64(version.createdMicros());
    Bytes payload = new Bytes(16);
    for (int i = 0; i < ids.length; i++) {
      Object v = values.get(i);
      if (v == null) {
        continue;
      }
      payload.reset();
      ValueType type = table.featureTypes().get(i);
      if (type.isList()) {
        List<?> list = (List<?>) v;
        payload.varint(list.size());
        Bytes element = new Bytes(8);
        for (Object e : list) {
          if (e == null) {
            payload.varint(0);
            continue;
          }
          element.reset();
          scalar(element, type.elementType(), e);
          payload.varint(element.size() + 1L);
          payload.write(element.buffer(), 0, element.size());
        }
      } else {
        scalar(payload, type, v);
      }
      out.write((ids[i] >>> 8) & 0xFF);
      out.write(ids[i] & 0xFF);
      out.varint(payload.size());
      out.write(payload.buffer(), 0, payload.size());
    }
    return out.toByteArray();
  }

  public static Version version(byte[] stored) {
    return new Version(eventMicros(stored), createdMicros(stored));
  }

  static long eventMicros(byte[] stored) {
    return fixed64(stored, 0);
  }

  static long createdMicros(byte[] stored) {
    return fixed64(stored, 8);
  }

  private static long fixed64(byte[] b, int at) {
    long v = 0;
    for (int i = at; i < at + 8; i++) {
      v = (v << 8) | (b[i] & 0xFF);
    }
    return v;
  }

  /** The stored values in the table's feature order; null where absent or unknown. */
  public List<Object> decode(byte[] stored) {
    Object[] values = new Object[ids.length];
    ByteBuffer b = ByteBuffer.wrap(stored);
    b.position(HEADER);
    while (b.hasRemaining()) {
      int id = ((b.get() & 0xFF) << 8) | (b.get() & 0xFF);
      int length = (int) readVarint(b);
      Integer index = indexById.get(id);
      if (index == null) { // a feature no longer in the spec, or retyped: skip it
        b.position(b.position() + length);
        continue;
      }
      ByteBuffer payload = b.slice(b.position(), length);
      b.position(b.position() + length);
      ValueType type = table.featureTypes().get(index);
      if (type.isList()) {
        int n = (int) readVarint(payload);
        List<Object> list = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
          int size = (int) readVarint(payload) - 1;
          if (size < 0) {
            list.add(null);
            continue;
          }
          list.add(readScalar(payload.slice(payload.position(), size), type.elementType()));
          payload.position(payload.position() + size);
        }
        values[index] = list;
      } else {
        values[index] = readScalar(payload, type);
      }
    }
    return Arrays.asList(values);
  }

  private static void scalar(Bytes out, ValueType type, Object v) {
    switch (type) {
      case INT32, INT64 -> out.zigzag(((Number) v).longValue());
      case UNIX_TIMESTAMP -> out.zigzag(Version.micros((Instant) v));
      case FLOAT -> out.fixed32(Float.floatToIntBits(((Number) v).floatValue()));
      case DOUBLE -> out.fixed64(Double.doubleToLongBits(((Number) v).doubleValue()));
      case BOOL -> out.write((Boolean) v ? 1 : 0);
      case STRING -> {
        byte[] s = v.toString().getBytes(StandardCharsets.UTF_8);
        out.write(s, 0, s.length);
      }
      case BYTES -> {
        byte[] s = (byte[]) v;
        out.write(s, 0, s.length);
      }
      default -> throw new IllegalArgumentException("not a scalar type: " + type);
    }
  }

  private static Object readScalar(ByteBuffer b, ValueType type) {
    return switch (type) {
      case INT32 -> (int) unzigzag(readVarint(b));
      case INT64 -> unzigzag(readVarint(b));
      case UNIX_TIMESTAMP -> Version.instant(unzigzag(readVarint(b)));
      case FLOAT -> b.getFloat();
      case DOUBLE -> b.getDouble();
      case BOOL -> b.get() != 0;
      case STRING -> StandardCharsets.UTF_8.decode(b).toString();
      case BYTES -> {
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        yield bytes;
      }
      default -> throw new IllegalArgumentException("not a scalar type: " + type);
    };
  }

  private static long readVarint(ByteBuffer b) {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      byte x = b.get();
      result |= (long) (x & 0x7F) << shift;
      if ((x & 0x80) == 0) {
        return result;
      }
    }
    throw new IllegalStateException("malformed varint in an online value");
  }

  private static long unzigzag(long n) {
    return (n >>> 1) ^ -(n & 1);
  }

  /**
   * A growable byte buffer with the few encodings above; unlike ByteArrayOutputStream it takes no
   * lock per byte, which showed in the write stage's profile.
   */
  static final class Bytes {
    private byte[] buf;
    private int count;

    Bytes(int size) {
      buf = new byte[size];
    }

    byte[] buffer() {
      return buf;
    }

    int size() {
      return count;
    }

    void reset() {
      count = 0;
    }

    byte[] toByteArray() {
      return Arrays.copyOf(buf, count);
    }

    private void ensure(int more) {
      if (count + more > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
      }
    }

    void write(int b) {
      ensure(1);
      buf[count++] = (byte) b;
    }

    void write(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, buf, count, len);
      count += len;
    }

    void varint(long v) {
      while ((v & ~0x7FL) != 0) {
        write((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      write((int) v);
    }

    void zigzag(long v) {
      varint((v << 1) ^ (v >> 63));
    }

    void fixed32(int v) {
      write(v >>> 24);
      write(v >>> 16);
      write(v >>> 8);
      write(v);
    }

    void fixed64(long v) {
      fixed32((int) (v >>> 32));
      fixed32((int) v);
    }
  }
}
