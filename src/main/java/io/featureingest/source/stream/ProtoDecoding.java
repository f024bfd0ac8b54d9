package io.featureingest.source.stream;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import io.featureingest.source.stream.ProtoDescriptors.MessageRef;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Protobuf messages to rows with protobuf-java's {@link DynamicMessage}, one descriptor per task
 * (spark-protobuf is not used: the 3.5 line is not published where this project builds, and we want
 * the raw bytes and the parse error of every message that does not decode). Output: the message's
 * top-level fields (see {@link ProtoRows} for the types), then the raw-message columns and {@link
 * RawMessages#DECODE_ERROR}.
 */
public final class ProtoDecoding {
  private ProtoDecoding() {}

  /** The row schema of decoded messages: message fields, then raw-message columns. */
  public static StructType schema(MessageRef ref) {
    List<StructField> fields =
        new ArrayList<>(List.of(ProtoRows.schema(ProtoDescriptors.descriptor(ref)).fields()));
    fields.add(DataTypes.createStructField(RawMessages.RAW, DataTypes.BinaryType, true));
    fields.add(DataTypes.createStructField(RawMessages.POSITION, DataTypes.StringType, true));
    fields.add(DataTypes.createStructField(RawMessages.SOURCE_TS, DataTypes.TimestampType, true));
    fields.add(DataTypes.createStructField(RawMessages.DECODE_ERROR, DataTypes.StringType, true));
    return DataTypes.createStructType(fields);
  }

  public static Dataset<Row> withDecoded(Dataset<Row> raw, MessageRef ref) {
    StructType schema = schema(ref);
    Dataset<Row> in = raw.select(RawMessages.RAW, RawMessages.POSITION, RawMessages.SOURCE_TS);
    return in.mapPartitions(new Decode(ref, schema.size() - 4), Encoders.row(schema));
  }

  /** Decodes one partition; builds the descriptor once per task from the serialized set. */
  private record Decode(MessageRef ref, int fieldCount) implements MapPartitionsFunction<Row, Row> {
    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      Descriptor descriptor = ProtoDescriptors.descriptor(ref);
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public Row next() {
          Row r = rows.next();
          byte[] bytes = (byte[]) r.get(0);
          Object[] out = new Object[fieldCount + 4];
          String error = null;
          if (bytes == null) {
            error = "undecodable proto message: the message has no value";
          } else {
            try {
              Object[] values = ProtoRows.values(DynamicMessage.parseFrom(descriptor, bytes));
              System.arraycopy(values, 0, out, 0, fieldCount);
            } catch (InvalidProtocolBufferException e) {
              error =
                  "undecodable proto message: not a "
                      + descriptor.getFullName()
                      + " ("
                      + e.getMessage()
                      + ")";
            }
          }
          out[fieldCount] = bytes;
          out[fieldCount + 1] = r.get(1);
          out[fieldCount + 2] = r.get(2);
          out[fieldCount + 3] = error;
          return RowFactory.create(out);
        }
      };
    }
  }
}
