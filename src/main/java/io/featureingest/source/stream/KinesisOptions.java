package io.featureingest.source.stream;

import io.featureingest.spec.KinesisSource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Spark connector and options of a {@link KinesisSource}. Defaults name the qubole connector's
 * options ({@code streamName}, {@code regionName}, {@code endpointUrl}, {@code startingposition});
 * for EMR's bundled connector set {@code connector = "aws-kinesis"} and give its option names in
 * {@code options}, which are passed as they are and win over the defaults. Without credentials in
 * {@code options} the connector uses the AWS default provider chain (environment, profile, instance
 * role).
 */
public final class KinesisOptions {
  private KinesisOptions() {}

  /** The Spark format name: "kinesis" (qubole) unless the spec says otherwise. */
  public static String connector(KinesisSource source) {
    return source.connector();
  }

  public static Map<String, String> of(KinesisSource source) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("streamName", source.streamName());
    out.put("regionName", source.region());
    out.put(
        "endpointUrl",
        source.endpoint().orElse("https://kinesis." + source.region() + ".amazonaws.com"));
    out.put("startingposition", source.startingPosition());
    out.putAll(source.options());
    return out;
  }
}
