package io.featureingest.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.featureingest.spec.ValueType;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** JSON to store values with ingest's lossless rules, and store values to Feast's JSON. */
class JsonValuesTest {
  static JsonNode json(String text) {
    return FeatureServerContract.read(text);
  }

  static Object read(String text, ValueType type) {
    return JsonValues.read(json(text), type, "wrong_type", "f");
  }

  @ParameterizedTest(name = "{0} as {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "7|INT32|7",
        "7.0|INT32|7",
        "\" 7 \"|INT32|7",
        "9007199254740993|INT64|9007199254740993",
        "4.1|FLOAT|4.1",
        "16777216|FLOAT|1.6777216E7",
        "0.5|DOUBLE|0.5",
        "9007199254740992|DOUBLE|9.007199254740992E15",
        "\"NaN\"|DOUBLE|NaN",
        "true|BOOL|true",
        "\"yes\"|BOOL|true",
        "\"x\"|STRING|x",
        "12|STRING|12",
        "\"2021-04-12T10:59:42Z\"|UNIX_TIMESTAMP|2021-04-12T10:59:42Z",
        "\"2021-04-12 10:59:42\"|UNIX_TIMESTAMP|2021-04-12T10:59:42Z",
        "\"2021-04-12T12:59:42+02:00\"|UNIX_TIMESTAMP|2021-04-12T10:59:42Z",
        "\"2021-04-12\"|UNIX_TIMESTAMP|2021-04-12T00:00:00Z",
        "1618225182|UNIX_TIMESTAMP|2021-04-12T10:59:42Z",
        "1618225182500|UNIX_TIMESTAMP|2021-04-12T10:59:42.500Z",
        "1618225182.25|UNIX_TIMESTAMP|2021-04-12T10:59:42.250Z",
      })
  void convertsWithoutLoss(String text, ValueType type, String expected) {
    Object v = read(text, type);
    assertThat(v instanceof Instant t ? t.toString() : String.valueOf(v))
        .isEqualTo(expected.endsWith("Z") ? Instant.parse(expected).toString() : expected);
  }

  @ParameterizedTest(name = "{0} is no {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "7.5|INT32",
        "3000000000|INT32",
        "9223372036854775808|INT64",
        "\"7a\"|INT64",
        "true|INT64",
        "0.1234567891|FLOAT",
        "16777217|FLOAT",
        "9007199254740993|DOUBLE",
        "1|BOOL",
        "\"maybe\"|BOOL",
        "1.5|STRING",
        "\"not base64!\"|BYTES",
        "\"yesterday\"|UNIX_TIMESTAMP",
        "100000000000000|UNIX_TIMESTAMP",
        "[1]|INT64",
        "1|INT64_LIST",
      })
  void refusesWhatWouldLoseSomething(String text, ValueType type) {
    assertThatThrownBy(() -> read(text, type))
        .isInstanceOf(BadRequest.class)
        .hasMessageStartingWith("f: expected ")
        .hasMessageContaining(type.name());
  }

  @Test
  void listsKeepNullElementsAndNameTheBadOne() {
    assertThat(read("[1, null, 3]", ValueType.INT64_LIST)).isEqualTo(Arrays.asList(1L, null, 3L));
    assertThat(read("[]", ValueType.STRING_LIST)).isEqualTo(List.of());
    assertThat(read("null", ValueType.STRING_LIST)).isNull();
    assertThatThrownBy(() -> read("[1, 2.5]", ValueType.INT64_LIST))
        .isInstanceOfSatisfying(BadRequest.class, e -> assertThat(e.field).isEqualTo("f[1]"));
  }

  @Test
  void writesFeastJson() throws Exception {
    StringWriter out = new StringWriter();
    try (var g = ServedRepo.JSON.getFactory().createGenerator(out)) {
      g.writeStartArray();
      JsonValues.write(g, 4.7f, ValueType.FLOAT);
      JsonValues.write(g, Float.NaN, ValueType.FLOAT);
      JsonValues.write(g, new byte[] {1, 2}, ValueType.BYTES);
      JsonValues.write(g, Instant.parse("2021-04-12T10:59:42.900Z"), ValueType.UNIX_TIMESTAMP);
      JsonValues.write(g, Arrays.asList("a", null), ValueType.STRING_LIST);
      JsonValues.write(g, null, ValueType.INT64);
      g.writeEndArray();
    }
    assertThat(out.toString()).isEqualTo("[4.7,\"NaN\",\"AQI=\",1618225182,[\"a\",null],null]");
  }
}
