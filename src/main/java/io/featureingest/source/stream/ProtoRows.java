package io.featureingest.source.stream;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.featureingest.spec.SourceErrors;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.collection.JavaConverters;

/**
 * A protobuf message as a Spark row. Types: int32/sint32/sfixed32 to int, uint32 to long, the
 * 64-bit integers to long, uint64/fixed64 to decimal(20,0) (no silent wrap), float, double, bool,
 * string, bytes to binary, enums to their value name, {@code google.protobuf.Timestamp} to
 * timestamp, the wrapper types ({@code Int64Value}...) to their nullable scalar, other messages to
 * structs, repeated fields to arrays and map fields to maps. Unset message fields and unset fields
 * with presence ({@code optional}) are null; unset proto3 scalars are their default, as protobuf
 * reads them.
 */
final class ProtoRows {
  private static final int MAX_DEPTH = 16;
  private static final String TIMESTAMP = "google.protobuf.Timestamp";
  private static final Set<String> WRAPPERS =
      Set.of(
          "google.protobuf.DoubleValue",
          "google.protobuf.FloatValue",
          "google.protobuf.Int64Value",
          "google.protobuf.UInt64Value",
          "google.protobuf.Int32Value",
          "google.protobuf.UInt32Value",
          "google.protobuf.BoolValue",
          "google.protobuf.StringValue",
          "google.protobuf.BytesValue");

  private ProtoRows() {}

  static StructType schema(Descriptor message) {
    return struct(message, 0);
  }

  private static StructType struct(Descriptor message, int depth) {
    if (depth > MAX_DEPTH) {
      throw SourceErrors.protoTooDeep(message.getFullName(), MAX_DEPTH);
    }
    List<StructField> fields = new ArrayList<>();
    for (FieldDescriptor f : message.getFields()) {
      fields.add(DataTypes.createStructField(f.getName(), type(f, depth), true));
    }
    return DataTypes.createStructType(fields);
  }

  private static DataType type(FieldDescriptor f, int depth) {
    if (f.isMapField()) {
      Descriptor entry = f.getMessageType();
      return DataTypes.createMapType(
          single(entry.findFieldByName("key"), depth),
          single(entry.findFieldByName("value"), depth));
    }
    DataType element = single(f, depth);
    return f.isRepeated() ? DataTypes.createArrayType(element) : element;
  }

  private static DataType single(FieldDescriptor f, int depth) {
    return switch (f.getJavaType()) {
      case INT ->
          f.getType() == FieldDescriptor.Type.UINT32 || f.getType() == FieldDescriptor.Type.FIXED32
              ? DataTypes.LongType
              : DataTypes.IntegerType;
      case LONG ->
          f.getType() == FieldDescriptor.Type.UINT64 || f.getType() == FieldDescriptor.Type.FIXED64
              ? DataTypes.createDecimalType(20, 0)
              : DataTypes.LongType;
      case FLOAT -> DataTypes.FloatType;
      case DOUBLE -> DataTypes.DoubleType;
      case BOOLEAN -> DataTypes.BooleanType;
      case STRING, ENUM -> DataTypes.StringType;
      case BYTE_STRING -> DataTypes.BinaryType;
      case MESSAGE -> {
        String name = f.getMessageType().getFullName();
        if (name.equals(TIMESTAMP)) {
          yield DataTypes.TimestampType;
        }
        if (WRAPPERS.contains(name)) {
          yield single(f.getMessageType().findFieldByName("value"), depth);
        }
        yield struct(f.getMessageType(), depth + 1);
      }
    };
  }

  /** The message's values in {@link #schema} order. */
  static Object[] values(Message message) {
    List<FieldDescriptor> fields = message.getDescriptorForType().getFields();
    Object[] out = new Object[fields.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = value(message, fields.get(i));
    }
    return out;
  }

  private static Object value(Message message, FieldDescriptor f) {
    if (f.isMapField()) {
      Map<Object, Object> map = new LinkedHashMap<>();
      for (Object e : (List<?>) message.getField(f)) {
        Message entry = (Message) e;
        Descriptor d = entry.getDescriptorForType();
        FieldDescriptor k = d.findFieldByName("key");
        FieldDescriptor v = d.findFieldByName("value");
        map.put(
            single(k, entry.getField(k)),
            entry.hasField(v) || !isMessage(v) ? single(v, entry.getField(v)) : null);
      }
      return JavaConverters.mapAsScalaMap(map);
    }
    if (f.isRepeated()) {
      List<Object> items = new ArrayList<>();
      for (Object item : (List<?>) message.getField(f)) {
        items.add(single(f, item));
      }
      return JavaConverters.asScalaBuffer(items).toSeq();
    }
    if (f.hasPresence() && !message.hasField(f)) {
      return null;
    }
    return single(f, message.getField(f));
  }

  private static boolean isMessage(FieldDescriptor f) {
    return f.getJavaType() == FieldDescriptor.JavaType.MESSAGE;
  }

  private static Object single(FieldDescriptor f, Object v) {
    return switch (f.getJavaType()) {
      case INT ->
          f.getType() == FieldDescriptor.Type.UINT32 || f.getType() == FieldDescriptor.Type.FIXED32
              ? Integer.toUnsignedLong((Integer) v)
              : v;
      case LONG ->
          f.getType() == FieldDescriptor.Type.UINT64 || f.getType() == FieldDescriptor.Type.FIXED64
              ? new BigDecimal(new BigInteger(Long.toUnsignedString((Long) v)))
              : v;
      case FLOAT, DOUBLE, BOOLEAN, STRING -> v;
      case ENUM -> ((EnumValueDescriptor) v).getName();
      case BYTE_STRING -> ((ByteString) v).toByteArray();
      case MESSAGE -> message(f, (Message) v);
    };
  }

  private static Object message(FieldDescriptor f, Message m) {
    String name = f.getMessageType().getFullName();
    Descriptor d = m.getDescriptorForType();
    if (name.equals(TIMESTAMP)) {
      long seconds = (Long) m.getField(d.findFieldByName("seconds"));
      int nanos = (Integer) m.getField(d.findFieldByName("nanos"));
      Timestamp ts = new Timestamp(seconds * 1000);
      ts.setNanos(nanos);
      return ts;
    }
    if (WRAPPERS.contains(name)) {
      FieldDescriptor value = d.findFieldByName("value");
      return single(value, m.getField(value));
    }
    return RowFactory.create(values(m));
  }

  static Row row(Message message) {
    return RowFactory.create(values(message));
  }
}
