package io.featureingest.spec;

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
      throw new ConfigException(
          "kafka source: bootstrap_servers is required, e.g. \"localhost:9092\"");
    }
    if (topic == null || topic.isBlank()) {
      throw new ConfigException("kafka source: topic is required");
    }
    startingOffsets = startingOffsets == null ? "earliest" : startingOffsets;
    options = options == null ? Map.of() : Map.copyOf(options);
    if (format == null) {
      throw new ConfigException("kafka source: format is required (avro or proto)");
    }
  }

  @Override
  public String type() {
    return "kafka";
  }
}
