package io.featureingest.source.stream;

import io.featureingest.spec.KafkaSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Spark's Kafka source options of a {@link KafkaSource}. The spec's {@code options} pass through:
 * options of Spark's Kafka source itself ({@code maxOffsetsPerTrigger}, {@code failOnDataLoss},
 * ...) and keys already starting with {@code kafka.} as they are; any other key is a consumer
 * property ({@code security.protocol}, {@code sasl.jaas.config}, {@code ssl.truststore.location})
 * and gets the {@code kafka.} prefix Spark expects.
 */
public final class KafkaOptions {
  /** Options Spark's Kafka source reads itself (spark-sql-kafka-0-10 3.5). */
  static final Set<String> SOURCE_OPTIONS =
      Set.of(
          "assign",
          "subscribe",
          "subscribePattern",
          "startingOffsets",
          "startingOffsetsByTimestamp",
          "startingTimestamp",
          "startingOffsetsByTimestampStrategy",
          "endingOffsets",
          "failOnDataLoss",
          "kafkaConsumer.pollTimeoutMs",
          "fetchOffset.numRetries",
          "fetchOffset.retryIntervalMs",
          "maxOffsetsPerTrigger",
          "minOffsetsPerTrigger",
          "maxTriggerDelay",
          "minPartitions",
          "groupIdPrefix",
          "includeHeaders");

  /** The consumer's {@code fetch.max.wait.ms} unless the spec's options say otherwise. */
  static final String FETCH_MAX_WAIT_MS = "10";

  private KafkaOptions() {}

  public static Map<String, String> of(KafkaSource source) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("kafka.bootstrap.servers", source.bootstrapServers());
    out.put("subscribe", source.topic());
    // Only read on a query's first run; afterwards the checkpoint's offsets win.
    out.put("startingOffsets", source.startingOffsets());
    // A topic that was deleted or compacted under us should not stop the stream silently either:
    // Spark logs the lost range; users who prefer failing set failOnDataLoss = true.
    out.put("failOnDataLoss", "false");
    // A micro-batch reads only offsets the driver has already seen in the log, so a fetch has
    // nothing to wait for. But the consumer pipelines its next fetch, and when that partition gets
    // no new data (a keyless producer sticks to one partition for a whole batch.size) the broker
    // parks it for fetch.max.wait.ms (500 ms by default) and the next poll waits for it: measured
    // as half a second of a 10k-message batch, every other batch (docs/streaming.md).
    out.put("kafka.fetch.max.wait.ms", FETCH_MAX_WAIT_MS);
    source
        .options()
        .forEach(
            (k, v) ->
                out.put(
                    SOURCE_OPTIONS.contains(k) || k.startsWith("kafka.") ? k : "kafka." + k, v));
    return out;
  }
}
