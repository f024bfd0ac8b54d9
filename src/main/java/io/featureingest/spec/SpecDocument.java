package io.featureingest.spec;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A table as a tree of maps and lists with the config's own key names: what the registry stores and
 * what {@code describe} prints. {@link SpecParser#parseTable} reads it back to an equal table.
 */
public final class SpecDocument {
  private SpecDocument() {}

  public static Map<String, Object> of(FeatureTable table) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(
        "entities",
        table.entities().stream()
            .map(
                e -> {
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("name", e.name());
                  m.put("type", e.type().name());
                  if (!e.description().isEmpty()) {
                    m.put("description", e.description());
                  }
                  return m;
                })
            .toList());
    out.put(
        "features",
        table.features().stream()
            .map(
                f -> {
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("name", f.name());
                  m.put("type", f.type().name());
                  if (!f.labels().isEmpty()) {
                    m.put("labels", new LinkedHashMap<>(f.labels()));
                  }
                  return m;
                })
            .toList());
    table.maxAge().ifPresent(d -> out.put("max_age", durationText(d)));
    if (!table.labels().isEmpty()) {
      out.put("labels", new java.util.TreeMap<>(table.labels()));
    }
    out.put("batch_source", batch(table.batchSource()));
    table.streamSource().ifPresent(s -> out.put("stream_source", stream(s)));
    return out;
  }

  private static Map<String, Object> batch(BatchSource source) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", source.type());
    if (source instanceof FileSource f) {
      m.put("format", f.format().sparkName());
      m.put("path", f.path());
    } else if (source instanceof BigQuerySource b) {
      put(m, "table_ref", b.tableRef());
      put(m, "query", b.query());
      put(m, "materialization_dataset", b.materializationDataset());
      put(m, "parent_project", b.parentProject());
      put(m, "credentials_file", b.credentialsFile());
      if (!b.options().isEmpty()) {
        m.put("options", new java.util.TreeMap<>(b.options()));
      }
    }
    columns(m, source.columns());
    return m;
  }

  private static Map<String, Object> stream(StreamSource source) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", source.type());
    if (source instanceof KafkaSource k) {
      m.put("bootstrap_servers", k.bootstrapServers());
      m.put("topic", k.topic());
      m.put("starting_offsets", k.startingOffsets());
    } else if (source instanceof KinesisSource k) {
      m.put("stream_name", k.streamName());
      m.put("region", k.region());
      put(m, "endpoint", k.endpoint());
      m.put("connector", k.connector());
      m.put("starting_position", k.startingPosition());
    }
    if (!source.options().isEmpty()) {
      Map<String, Object> options = new java.util.TreeMap<>();
      // Stream options may carry credentials (SASL JAAS lines): never print or store them in clear.
      source.options().forEach((k, v) -> options.put(k, ConfigLoader.isSecret(k) ? "***" : v));
      m.put("options", options);
    }
    Map<String, Object> format = new LinkedHashMap<>();
    format.put("type", source.format().type());
    if (source.format() instanceof AvroFormat a) {
      put(format, "schema_json", a.schemaJson());
      put(format, "schema_file", a.schemaFile());
      format.put("confluent_wire_format", a.confluentWireFormat());
    } else if (source.format() instanceof ProtoFormat p) {
      put(format, "descriptor_file", p.descriptorFile());
      put(format, "message_name", p.messageName());
      put(format, "class_name", p.className());
    }
    m.put("format", format);
    m.put("log_to_batch_source", source.logToBatchSource());
    columns(m, source.columns());
    return m;
  }

  private static void columns(Map<String, Object> m, SourceColumns c) {
    m.put("event_timestamp_column", c.eventTimestampColumn());
    put(m, "created_timestamp_column", c.createdTimestampColumn());
    if (!c.fieldMapping().isEmpty()) {
      m.put("field_mapping", new LinkedHashMap<>(c.fieldMapping()));
    }
    put(m, "date_partition_column", c.datePartitionColumn());
  }

  private static void put(Map<String, Object> m, String key, Optional<?> value) {
    value.ifPresent(v -> m.put(key, v));
  }

  /** A HOCON duration in the largest whole unit: 2d, 36h, 90m, 45s or 1500ms. */
  public static String durationText(Duration d) {
    long ms = d.toMillis();
    for (var unit :
        List.of(
            Map.entry("d", 86_400_000L),
            Map.entry("h", 3_600_000L),
            Map.entry("m", 60_000L),
            Map.entry("s", 1_000L))) {
      if (ms % unit.getValue() == 0) {
        return ms / unit.getValue() + unit.getKey();
      }
    }
    return ms + "ms";
  }
}
