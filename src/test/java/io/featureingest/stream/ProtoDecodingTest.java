package io.featureingest.stream;

import static io.featureingest.stream.MessageDecodingTest.T;
import static io.featureingest.stream.MessageDecodingTest.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featureingest.source.stream.MessageDecoding;
import io.featureingest.source.stream.RawMessages;
import io.featureingest.spec.ConfigException;
import io.featureingest.spec.ProtoFormat;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Protobuf decoding with a descriptor set file and with a compiled class, on a static frame. */
class ProtoDecodingTest {
  @TempDir Path dir;

  ProtoFormat descriptorSet() {
    return new ProtoFormat(
        Optional.of(ProtoMessages.writeDescriptorSet(dir)),
        Optional.of(ProtoMessages.MESSAGE),
        Optional.empty());
  }

  @Test
  void descriptorSetDecodesEveryKindOfField() {
    Dataset<Row> out =
        MessageDecoding.of(descriptorSet(), new Configuration())
            .withDecoded(
                raw(ProtoMessages.trip(7L, 4.5, 3, "IDLE", T), new byte[] {(byte) 0xff, 1}));
    assertThat(out.schema().apply("event_time").dataType()).isEqualTo(DataTypes.TimestampType);
    assertThat(out.schema().apply("status").dataType()).isEqualTo(DataTypes.StringType);
    List<Row> rows = out.orderBy(RawMessages.POSITION).collectAsList();
    Row ok = rows.get(0);
    assertThat(ok.<Row>getAs("driver").<Long>getAs("id")).isEqualTo(7L);
    assertThat(ok.<Row>getAs("stats").<Double>getAs("rating")).isEqualTo(4.5);
    assertThat(ok.<String>getAs("status")).isEqualTo("IDLE");
    assertThat(ok.<Timestamp>getAs("event_time").toInstant()).isEqualTo(T);
    assertThat(ok.getList(ok.fieldIndex("tags"))).containsExactly("a", "b");
    assertThat(ok.getJavaMap(ok.fieldIndex("counters"))).containsEntry("k", 5L);
    assertThat(ok.<BigDecimal>getAs("big")).isEqualTo(new BigDecimal("18446744073709551615"));
    assertThat(ok.<String>getAs(RawMessages.DECODE_ERROR)).isNull();
    assertThat(rows.get(1).<String>getAs(RawMessages.DECODE_ERROR))
        .startsWith("undecodable proto message: not a example.Trip");
    assertThat(rows.get(1).<Row>getAs("driver")).isNull();
  }

  @Test
  void compiledClassOnTheClasspath() {
    // protobuf's own Timestamp stands in for a user's compiled message class.
    byte[] bytes =
        com.google.protobuf.Timestamp.newBuilder()
            .setSeconds(1234)
            .setNanos(5)
            .build()
            .toByteArray();
    ProtoFormat byClass =
        new ProtoFormat(
            Optional.empty(), Optional.empty(), Optional.of("com.google.protobuf.Timestamp"));
    Row r = MessageDecoding.of(byClass, new Configuration()).withDecoded(raw(bytes)).first();
    assertThat(r.<Long>getAs("seconds")).isEqualTo(1234L);
    assertThat(r.<Integer>getAs("nanos")).isEqualTo(5);
  }

  @Test
  void unknownMessageOrClassIsAConfigError() {
    ProtoFormat wrongName =
        new ProtoFormat(
            Optional.of(ProtoMessages.writeDescriptorSet(dir)),
            Optional.of("example.Nope"),
            Optional.empty());
    assertThatThrownBy(() -> MessageDecoding.of(wrongName, new Configuration()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("example.Nope")
        .hasMessageContaining("example/trip.proto");
    assertThatThrownBy(
            () ->
                MessageDecoding.of(
                    new ProtoFormat(Optional.empty(), Optional.empty(), Optional.of("x.Missing")),
                    new Configuration()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("x.Missing");
  }
}
