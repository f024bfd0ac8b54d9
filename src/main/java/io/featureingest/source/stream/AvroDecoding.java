package io.featureingest.source.stream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.featureingest.spec.AvroFormat;
import io.featureingest.spec.SourceErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.avro.functions;

/**
 * Avro messages to rows with Spark's {@code from_avro} in PERMISSIVE mode, so that a message that
 * does not decode gives a null record (then {@link RawMessages#DECODE_ERROR}) instead of failing
 * the query. With {@code confluent_wire_format} the 5-byte header (magic byte 0, 4-byte schema id)
 * is checked and stripped first; the schema id is not looked up, the spec's schema is the reader
 * schema. Avro binary is not self-describing: bytes that happen to parse as the schema decode, so
 * garbage can only be caught when it is short or breaks the schema's structure (and then by the
 * projection's checks of entity and timestamp values).
 */
public final class AvroDecoding {
  private static final String RECORD = "_fi_avro";

  private AvroDecoding() {}

  /** The schema JSON of the format, read from {@code schema_file} (any Hadoop URI) if need be. */
  public static String schemaJson(AvroFormat format, Configuration hadoop) {
    String json =
        format.schemaJson().isPresent()
            ? format.schemaJson().get()
            : HadoopText.read(format.schemaFile().get(), hadoop, "avro schema_file");
    Schema schema;
    try {
      schema = new Schema.Parser().parse(json);
    } catch (RuntimeException e) {
      throw SourceErrors.badAvroSchema(format.schemaFile(), e);
    }
    if (schema.getType() != Schema.Type.RECORD) {
      throw SourceErrors.avroNotRecord(schema.getType());
    }
    return json;
  }

  /** Raw messages to message fields plus the raw-message columns and the decode error. */
  public static Dataset<Row> withDecoded(Dataset<Row> raw, AvroFormat format, String schemaJson) {
    Column bytes = col(RawMessages.RAW);
    Column error = lit(null).cast("string");
    Column payload = bytes;
    if (format.confluentWireFormat()) {
      Column tooShort = expr("length(" + RawMessages.RAW + ") < 5");
      Column badMagic = expr("substring(" + RawMessages.RAW + ", 1, 1) != X'00'");
      error =
          when(tooShort, lit("undecodable avro message: shorter than the 5-byte confluent header"))
              .when(badMagic, lit("undecodable avro message: confluent magic byte is not 0"));
      payload =
          when(tooShort.or(badMagic), lit(null).cast("binary"))
              .otherwise(expr("substring(" + RawMessages.RAW + ", 6)"));
    }
    Column decoded = functions.from_avro(payload, schemaJson, Map.of("mode", "PERMISSIVE"));
    Dataset<Row> staged =
        raw.select(
            col("*"),
            decoded.as(RECORD),
            when(
                    error.isNull().and(bytes.isNull()),
                    lit("undecodable avro message: the message has no value"))
                .otherwise(error)
                .as(RawMessages.DECODE_ERROR));
    // PERMISSIVE gives a record whose fields are all null, not a null record, for bad bytes; a
    // real record with every field null cannot become a row either (no entity, no event time).
    Column failed = col(RECORD).isNull();
    Column allNull = lit(true);
    for (String field :
        ((org.apache.spark.sql.types.StructType) staged.schema().apply(RECORD).dataType())
            .fieldNames()) {
      allNull = allNull.and(col(RECORD + "." + field).isNull());
    }
    failed = failed.or(allNull);
    List<Column> out = new ArrayList<>();
    out.add(col(RECORD + ".*"));
    out.add(col(RawMessages.RAW));
    out.add(col(RawMessages.POSITION));
    out.add(col(RawMessages.SOURCE_TS));
    out.add(
        when(
                col(RawMessages.DECODE_ERROR).isNull().and(failed),
                lit("undecodable avro message: the bytes are not a record of the table's schema"))
            .otherwise(col(RawMessages.DECODE_ERROR))
            .as(RawMessages.DECODE_ERROR));
    return staged.select(out.toArray(Column[]::new));
  }
}
