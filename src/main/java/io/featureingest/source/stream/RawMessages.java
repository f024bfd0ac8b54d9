package io.featureingest.source.stream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;

import io.featureingest.spec.KafkaSource;
import io.featureingest.spec.KinesisSource;
import io.featureingest.spec.StreamSource;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;

/**
 * A stream source as one shape whatever the connector: the message bytes ({@link #RAW}), where the
 * message sits in the stream ({@link #POSITION}: {@code topic/partition/offset} or {@code
 * stream/partitionKey/sequence}) and the broker's append time ({@link #SOURCE_TS}). Decoders add
 * the message's fields and {@link #DECODE_ERROR}.
 */
public final class RawMessages {
  public static final String RAW = "_fi_raw";
  public static final String POSITION = "_fi_position";
  public static final String SOURCE_TS = "_fi_source_ts";

  /** Why a message could not be decoded; null for decoded messages. */
  public static final String DECODE_ERROR = "_fi_decode_error";

  private RawMessages() {}

  /** The streaming DataFrame of a table's stream source, in the raw-message shape. */
  public static Dataset<Row> read(SparkSession spark, StreamSource source) {
    if (source instanceof KafkaSource k) {
      return withRawShape(reader(spark, "kafka", KafkaOptions.of(k)).load(), k);
    }
    KinesisSource k = (KinesisSource) source;
    return withRawShape(reader(spark, KinesisOptions.connector(k), KinesisOptions.of(k)).load(), k);
  }

  private static DataStreamReader reader(
      SparkSession spark, String format, Map<String, String> options) {
    DataStreamReader reader = spark.readStream().format(format);
    options.forEach(reader::option);
    return reader;
  }

  /** Kafka's value/topic/partition/offset/timestamp columns to the raw-message shape. */
  static Dataset<Row> withRawShape(Dataset<Row> kafka, KafkaSource source) {
    return kafka.select(
        col("value").as(RAW),
        concat_ws("/", col("topic"), col("partition"), col("offset")).as(POSITION),
        col("timestamp").as(SOURCE_TS));
  }

  /**
   * The qubole connector's data/streamName/partitionKey/sequenceNumber/approximateArrivalTimestamp
   * (the same names in EMR's connector) to the raw-message shape.
   */
  static Dataset<Row> withRawShape(Dataset<Row> kinesis, KinesisSource source) {
    return kinesis.select(
        col("data").as(RAW),
        concat_ws("/", col("streamName"), col("partitionKey"), col("sequenceNumber")).as(POSITION),
        col("approximateArrivalTimestamp").cast("timestamp").as(SOURCE_TS));
  }
}
