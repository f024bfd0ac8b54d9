package io.featureingest.stream;

import static io.featureingest.stream.StreamTables.avro;
import static io.featureingest.stream.StreamTables.avroTrip;
import static io.featureingest.stream.StreamTables.confluent;
import static org.assertj.core.api.Assertions.assertThat;

import io.featureingest.source.stream.MessageDecoding;
import io.featureingest.source.stream.RawMessages;
import io.featureingest.testing.TestSpark;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Avro decoding on a static frame of raw messages: plain, Confluent wire format, corrupt bytes. */
class MessageDecodingTest {
  static final Instant T = Instant.parse("2024-05-01T10:00:00.123Z");

  static Dataset<Row> raw(byte[]... messages) {
    StructType schema =
        new StructType()
            .add(RawMessages.RAW, DataTypes.BinaryType)
            .add(RawMessages.POSITION, DataTypes.StringType)
            .add(RawMessages.SOURCE_TS, DataTypes.TimestampType);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < messages.length; i++) {
      rows.add(RowFactory.create(messages[i], "t/0/" + i, Timestamp.from(T)));
    }
    return TestSpark.get().createDataFrame(rows, schema);
  }

  @Test
  void avroDecodesNestedFieldsEnumsAndTimestamps() {
    Dataset<Row> out =
        MessageDecoding.of(avro(false), new Configuration())
            .withDecoded(raw(avroTrip(7L, 4.5, 3, "IDLE", T), "x".getBytes()));
    List<Row> rows = out.orderBy(RawMessages.POSITION).collectAsList();
    Row ok = rows.get(0);
    assertThat(ok.<Row>getAs("driver").<Long>getAs("id")).isEqualTo(7L);
    assertThat(ok.<Row>getAs("stats").<Double>getAs("rating")).isEqualTo(4.5);
    assertThat(ok.<String>getAs("status")).isEqualTo("IDLE");
    assertThat(ok.<Timestamp>getAs("event_time").toInstant()).isEqualTo(T);
    assertThat(ok.<String>getAs(RawMessages.DECODE_ERROR)).isNull();
    Row bad = rows.get(1);
    assertThat(bad.<String>getAs(RawMessages.DECODE_ERROR)).startsWith("undecodable avro message");
    assertThat(bad.<byte[]>getAs(RawMessages.RAW)).isEqualTo("x".getBytes());
  }

  @Test
  void confluentWireFormatChecksAndStripsTheHeader() {
    byte[] good = confluent(avroTrip(1L, 1.0, 1, "ACTIVE", T), 42);
    byte[] wrongMagic = good.clone();
    wrongMagic[0] = 1;
    Dataset<Row> out =
        MessageDecoding.of(avro(true), new Configuration())
            .withDecoded(raw(good, wrongMagic, new byte[] {0, 0}));
    List<Row> rows = out.orderBy(RawMessages.POSITION).collectAsList();
    assertThat(rows.get(0).<Row>getAs("driver").<Long>getAs("id")).isEqualTo(1L);
    assertThat(rows.get(0).<String>getAs(RawMessages.DECODE_ERROR)).isNull();
    assertThat(rows.get(1).<String>getAs(RawMessages.DECODE_ERROR)).contains("magic byte");
    assertThat(rows.get(2).<String>getAs(RawMessages.DECODE_ERROR)).contains("5-byte");
  }
}
