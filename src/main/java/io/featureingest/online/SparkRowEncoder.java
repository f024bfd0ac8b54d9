package io.featureingest.online;

import io.featureingest.rows.SparkTypes;
import io.featureingest.spec.ValueType;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.SpecializedGetters;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.DataType;

/**
 * {@link OnlineCodec}'s bytes straight from Spark's internal rows, without external {@code Row}s,
 * boxed values or {@link OnlineRecord}s: the write stage's CPU went largely into those conversions
 * (strings decoded to {@code String} and encoded back, a {@code java.sql.Timestamp} per version).
 * The same bytes as {@link OnlineCodec#key} and {@link OnlineCodec#encode} (tested against them).
 *
 * <p>Rows are laid out as {@link OnlineWriter} projects them: the entities in the table's order,
 * then the features, then the event and the created timestamp (Spark micros), each column of the
 * type {@link SparkTypes#of} gives its value type.
 */
final class SparkRowEncoder {
  private final OnlineCodec codec;
  private final ValueType[] entityTypes;
  private final ValueType[] featureTypes;
  private final int event;
  private final int created;
  private final OnlineCodec.Bytes out;
  private final OnlineCodec.Bytes payload = new OnlineCodec.Bytes(16);
  private final OnlineCodec.Bytes element = new OnlineCodec.Bytes(16);
  private final OnlineCodec.Bytes multiKey = new OnlineCodec.Bytes(32);

  SparkRowEncoder(OnlineCodec codec) {
    this.codec = codec;
    OnlineTable table = codec.table();
    this.entityTypes = table.entityTypes().toArray(ValueType[]::new);
    this.featureTypes = table.featureTypes().toArray(ValueType[]::new);
    this.event = entityTypes.length + featureTypes.length;
    this.created = event + 1;
    this.out = new OnlineCodec.Bytes(OnlineCodec.HEADER + 16 * featureTypes.length);
  }

  /** Column positions of the timestamps in the rows this encoder reads. */
  int eventColumn() {
    return event;
  }

  int createdColumn() {
    return created;
  }

  /** The entity key's bytes, as {@link OnlineCodec#key}. */
  byte[] key(InternalRow row) {
    if (entityTypes.length == 1) {
      return keyPart(row, 0, entityTypes[0]);
    }
    multiKey.reset();
    for (int i = 0; i < entityTypes.length; i++) {
      byte[] part = keyPart(row, i, entityTypes[i]);
      multiKey.varint(part.length);
      multiKey.write(part, 0, part.length);
    }
    return multiKey.toByteArray();
  }

  private static byte[] keyPart(InternalRow row, int i, ValueType type) {
    if (row.isNullAt(i)) {
      throw new IllegalArgumentException("an entity value is null");
    }
    return switch (type) {
      case STRING -> row.getUTF8String(i).getBytes();
      case INT64, UNIX_TIMESTAMP -> ascii(Long.toString(row.getLong(i)));
      case INT32 -> ascii(Integer.toString(row.getInt(i)));
      case BYTES -> row.getBinary(i);
      case BOOL -> new byte[] {(byte) (row.getBoolean(i) ? '1' : '0')};
      default -> OnlineCodec.keyPart(javaValue(row, i, type));
    };
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** The value bytes, as {@link OnlineCodec#encode}: version header, then non-null features. */
  byte[] value(InternalRow row) {
    if (row.isNullAt(event)) {
      throw new IllegalArgumentException(
          "table " + codec.table().name() + ": a row without event timestamp reached the writer");
    }
    out.reset();
    out.fixed64(row.getLong(event));
    out.fixed64(row.isNullAt(created) ? Version.NO_CREATED : row.getLong(created));
    int base = entityTypes.length;
    for (int f = 0; f < featureTypes.length; f++) {
      int i = base + f;
      if (row.isNullAt(i)) {
        continue;
      }
      payload.reset();
      ValueType type = featureTypes[f];
      if (type.isList()) {
        ArrayData list = row.getArray(i);
        int n = list.numElements();
        payload.varint(n);
        for (int k = 0; k < n; k++) {
          if (list.isNullAt(k)) {
            payload.varint(0);
            continue;
          }
          element.reset();
          scalar(element, list, k, type.elementType());
          payload.varint(element.size() + 1L);
          payload.write(element.buffer(), 0, element.size());
        }
      } else {
        scalar(payload, row, i, type);
      }
      int id = codec.id(f);
      out.write((id >>> 8) & 0xFF);
      out.write(id & 0xFF);
      out.varint(payload.size());
      out.write(payload.buffer(), 0, payload.size());
    }
    return out.toByteArray();
  }

  private static void scalar(OnlineCodec.Bytes to, SpecializedGetters v, int i, ValueType type) {
    switch (type) {
      case INT32 -> to.zigzag(v.getInt(i));
      case INT64, UNIX_TIMESTAMP -> to.zigzag(v.getLong(i));
      case FLOAT -> to.fixed32(Float.floatToIntBits(v.getFloat(i)));
      case DOUBLE -> to.fixed64(Double.doubleToLongBits(v.getDouble(i)));
      case BOOL -> to.write(v.getBoolean(i) ? 1 : 0);
      case STRING -> {
        byte[] s = v.getUTF8String(i).getBytes();
        to.write(s, 0, s.length);
      }
      case BYTES -> {
        byte[] s = v.getBinary(i);
        to.write(s, 0, s.length);
      }
      default -> throw new IllegalArgumentException("not a scalar type: " + type);
    }
  }

  /** An entity of another type as the plain Java value {@link OnlineCodec} takes. */
  private static Object javaValue(InternalRow row, int i, ValueType type) {
    DataType dt = SparkTypes.of(type);
    Function<Object, Object> toJava = CatalystTypeConverters.createToScalaConverter(dt)::apply;
    return OnlineWriter.javaValue(toJava.apply(row.get(i, dt)));
  }
}
