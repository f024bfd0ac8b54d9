package io.featureingest.source.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.featureingest.spec.AvroFormat;
import io.featureingest.spec.KafkaSource;
import io.featureingest.spec.KinesisSource;
import io.featureingest.spec.SourceColumns;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The spec's stream sources as Spark connector options. */
class StreamOptionsTest {
  static final AvroFormat AVRO =
      new AvroFormat(Optional.of("{\"type\":\"record\"}"), Optional.empty(), false);

  @Test
  void kafkaConsumerPropertiesGetThePrefixSourceOptionsDoNot() {
    KafkaSource k =
        new KafkaSource(
            "b1:9092,b2:9092",
            "trips",
            null,
            Map.of(
                "security.protocol", "SASL_SSL",
                "kafka.sasl.mechanism", "PLAIN",
                "maxOffsetsPerTrigger", "1000"),
            AVRO,
            false,
            SourceColumns.of("ts", null));
    assertThat(KafkaOptions.of(k))
        .containsEntry("kafka.bootstrap.servers", "b1:9092,b2:9092")
        .containsEntry("subscribe", "trips")
        .containsEntry("startingOffsets", "earliest")
        .containsEntry("kafka.security.protocol", "SASL_SSL")
        .containsEntry("kafka.sasl.mechanism", "PLAIN")
        .containsEntry("maxOffsetsPerTrigger", "1000")
        .doesNotContainKey("security.protocol")
        .containsEntry("kafka.fetch.max.wait.ms", KafkaOptions.FETCH_MAX_WAIT_MS);
  }

  @Test
  void kafkaFetchWaitIsShortUnlessTheSpecSetsIt() {
    KafkaSource k =
        new KafkaSource(
            "b1:9092",
            "trips",
            null,
            Map.of("fetch.max.wait.ms", "500"),
            AVRO,
            false,
            SourceColumns.of("ts", null));
    assertThat(KafkaOptions.of(k)).containsEntry("kafka.fetch.max.wait.ms", "500");
  }

  @Test
  void kinesisDefaultsNameTheQuboleOptionsAndOptionsWin() {
    KinesisSource k =
        new KinesisSource(
            "trips",
            "eu-west-1",
            Optional.empty(),
            null,
            null,
            Map.of("startingposition", "LATEST"),
            AVRO,
            false,
            SourceColumns.of("ts", null));
    assertThat(KinesisOptions.connector(k)).isEqualTo("kinesis");
    assertThat(KinesisOptions.of(k))
        .containsEntry("streamName", "trips")
        .containsEntry("regionName", "eu-west-1")
        .containsEntry("endpointUrl", "https://kinesis.eu-west-1.amazonaws.com")
        .containsEntry("startingposition", "LATEST");
    KinesisSource emr =
        new KinesisSource(
            "trips",
            "eu-west-1",
            Optional.of("https://vpce.example"),
            "aws-kinesis",
            null,
            Map.of("kinesis.endpointUrl", "https://vpce.example"),
            AVRO,
            false,
            SourceColumns.of("ts", null));
    assertThat(KinesisOptions.connector(emr)).isEqualTo("aws-kinesis");
    assertThat(KinesisOptions.of(emr)).containsEntry("kinesis.endpointUrl", "https://vpce.example");
  }
}
