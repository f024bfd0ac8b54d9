package io.featureingest.spec;

import java.util.List;
import java.util.Map;

/** A Kafka topic; {@code options} go to the consumer as they are (SASL, SSL, ...). */
public record KafkaSource(
    String bootstrapServers,
    String topic,
    String startingOffsets,
    Map<String, String> options,
    MessageFormat format,
    boolean logToBatchSource,
    SourceColumns columns)
    implements StreamSource {
  public KafkaSource {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw ConfigErrors.required("kafka source", "bootstrap_servers", "\"localhost:9092\"");
    }
    if (topic == null || topic.isBlank()) {
      throw ConfigErrors.required("kafka source", "topic");
    }
    startingOffsets = startingOffsets == null ? "earliest" : startingOffsets;
    options = options == null ? Map.of() : Map.copyOf(options);
    if (format == null) {
      throw ConfigErrors.requiredOneOf("kafka source", "format", List.of("avro", "proto"));
    }
  }

  @Override
  public String type() {
    return "kafka";
  }
}
