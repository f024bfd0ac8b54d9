package io.featureingest.spec;

import java.util.Map;

/** Where a table's live rows come from, each carrying messages of one {@link MessageFormat}. */
public sealed interface StreamSource permits KafkaSource, KinesisSource {
  SourceColumns columns();

  MessageFormat format();

  /** Extra options passed through to the Spark connector as they are. */
  Map<String, String> options();

  /** Append valid rows to the batch source too, as the historical log. */
  boolean logToBatchSource();

  String type();
}
