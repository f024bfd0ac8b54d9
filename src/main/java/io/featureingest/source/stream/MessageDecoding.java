package io.featureingest.source.stream;

import io.featureingest.spec.AvroFormat;
import io.featureingest.spec.MessageFormat;
import io.featureingest.spec.ProtoFormat;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * How one table's messages decode, resolved once on the driver (schema file read, descriptor set
 * built and checked) so that each micro-batch only applies it.
 */
public sealed interface MessageDecoding extends Serializable {
  /** Raw messages to message fields + raw-message columns + {@link RawMessages#DECODE_ERROR}. */
  Dataset<Row> withDecoded(Dataset<Row> raw);

  static MessageDecoding of(MessageFormat format, Configuration hadoop) {
    if (format instanceof AvroFormat a) {
      return new Avro(a, AvroDecoding.schemaJson(a, hadoop));
    }
    return new Proto(ProtoDescriptors.resolve((ProtoFormat) format, hadoop));
  }

  record Avro(AvroFormat format, String schemaJson) implements MessageDecoding {
    @Override
    public Dataset<Row> withDecoded(Dataset<Row> raw) {
      return AvroDecoding.withDecoded(raw, format, schemaJson);
    }
  }

  record Proto(ProtoDescriptors.MessageRef ref) implements MessageDecoding {
    @Override
    public Dataset<Row> withDecoded(Dataset<Row> raw) {
      return ProtoDecoding.withDecoded(raw, ref);
    }
  }
}
