package io.featureingest.spec;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Kinesis stream. {@code connector} is the Spark format name ("kinesis" for the qubole connector
 * used locally; EMR's bundled connector uses "aws-kinesis"), and {@code options} pass through.
 */
public record KinesisSource(
    String streamName,
    String region,
    Optional<String> endpoint,
    String connector,
    String startingPosition,
    Map<String, String> options,
    MessageFormat format,
    boolean logToBatchSource,
    SourceColumns columns)
    implements StreamSource {
  public KinesisSource {
    if (streamName == null || streamName.isBlank()) {
      throw ConfigErrors.required("kinesis source", "stream_name");
    }
    if (region == null || region.isBlank()) {
      throw ConfigErrors.required("kinesis source", "region", "us-east-1");
    }
    endpoint = endpoint == null ? Optional.empty() : endpoint;
    connector = connector == null || connector.isBlank() ? "kinesis" : connector;
    startingPosition = startingPosition == null ? "TRIM_HORIZON" : startingPosition;
    options = options == null ? Map.of() : Map.copyOf(options);
    if (format == null) {
      throw ConfigErrors.requiredOneOf("kinesis source", "format", List.of("avro", "proto"));
    }
  }

  @Override
  public String type() {
    return "kinesis";
  }
}
