package io.featureingest.spec;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * HOCON to spec records, in one place. Key names follow Feast's spec names; every error names the
 * config path, the bad value and what was expected.
 */
public final class SpecParser {
  private static final Set<String> TABLE_KEYS =
      Set.of(
          "entities",
          "features",
          "max_age",
          "labels",
          "batch_source",
          "stream_source",
          "description");
  private static final Set<String> COLUMN_KEYS =
      Set.of(
          "event_timestamp_column",
          "created_timestamp_column",
          "field_mapping",
          "date_partition_column");
  private static final Set<String> FILE_KEYS = with(COLUMN_KEYS, "type", "format", "path");
  private static final Set<String> BIGQUERY_KEYS =
      with(
          COLUMN_KEYS,
          "type",
          "table_ref",
          "query",
          "materialization_dataset",
          "parent_project",
          "credentials_file",
          "options");
  private static final Set<String> KAFKA_KEYS =
      with(
          COLUMN_KEYS,
          "type",
          "bootstrap_servers",
          "topic",
          "starting_offsets",
          "options",
          "format",
          "log_to_batch_source");
  private static final Set<String> KINESIS_KEYS =
      with(
          COLUMN_KEYS,
          "type",
          "stream_name",
          "region",
          "endpoint",
          "connector",
          "starting_position",
          "options",
          "format",
          "log_to_batch_source");

  private SpecParser() {}

  /** Parses a whole resolved config: project, registry, online store, tables, feature lists. */
  public static FeatureRepo parseRepo(Config config) {
    ConfigNode root = new ConfigNode(config, "");
    String project = root.string("project", "default");
    String registryPath = root.object("registry").string("path");
    OnlineStoreConfig store = parseOnlineStore(root.object("online_store"));
    Map<String, FeatureTable> tables = new LinkedHashMap<>();
    root.optObject("feature_tables")
        .ifPresent(
            t -> t.keys().forEach(name -> tables.put(name, parseTable(name, t.object(name)))));
    Map<String, List<String>> lists = new LinkedHashMap<>();
    root.optObject("feature_lists")
        .ifPresent(l -> l.keys().forEach(name -> lists.put(name, l.stringList(name))));
    return new FeatureRepo(project, registryPath, store, tables, lists, config);
  }

  /** Parses one table from its own object, e.g. the value of {@code feature_tables.NAME}. */
  public static FeatureTable parseTable(String name, Config tableConfig) {
    return parseTable(name, new ConfigNode(tableConfig, "feature_tables." + name));
  }

  static FeatureTable parseTable(String name, ConfigNode node) {
    try {
      node.onlyKeys(TABLE_KEYS);
      List<Entity> entities = new ArrayList<>();
      for (ConfigNode e :
          node.has("entities") ? node.objectList("entities") : List.<ConfigNode>of()) {
        e.onlyKeys(Set.of("name", "type", "description"));
        entities.add(
            new Entity(
                e.string("name"),
                ValueType.parse(e.pathOf("type"), e.string("type")),
                e.string("description", "")));
      }
      List<Feature> features = new ArrayList<>();
      for (ConfigNode f :
          node.has("features") ? node.objectList("features") : List.<ConfigNode>of()) {
        f.onlyKeys(Set.of("name", "type", "labels"));
        features.add(
            new Feature(
                f.string("name"),
                ValueType.parse(f.pathOf("type"), f.string("type")),
                f.stringMap("labels")));
      }
      if (!node.has("batch_source")) {
        throw ConfigErrors.missingKey(
            node.pathOf("batch_source"),
            "every table needs a batch source, e.g. batch_source { type = file, format = parquet,"
                + " path = ..., event_timestamp_column = ... }");
      }
      BatchSource batch = parseBatchSource(node.object("batch_source"));
      Optional<StreamSource> stream =
          node.optObject("stream_source").map(SpecParser::parseStreamSource);
      return new FeatureTable(
          name,
          entities,
          features,
          node.duration("max_age"),
          node.stringMap("labels"),
          batch,
          stream);
    } catch (ConfigException e) {
      throw prefixed(node.path(), e);
    }
  }

  static BatchSource parseBatchSource(ConfigNode node) {
    String type = node.string("type");
    try {
      return switch (type) {
        case "file" -> {
          node.onlyKeys(FILE_KEYS);
          yield new FileSource(
              FileFormat.parse(node.pathOf("format"), node.string("format")),
              node.string("path"),
              columns(node));
        }
        case "bigquery" -> {
          node.onlyKeys(BIGQUERY_KEYS);
          yield new BigQuerySource(
              node.optString("table_ref"),
              node.optString("query"),
              node.optString("materialization_dataset"),
              node.optString("parent_project"),
              node.optString("credentials_file"),
              node.stringMap("options"),
              columns(node));
        }
        default -> throw ConfigErrors.oneOf(node.pathOf("type"), List.of("file", "bigquery"), type);
      };
    } catch (ConfigException e) {
      throw prefixed(node.path(), e);
    }
  }

  static StreamSource parseStreamSource(ConfigNode node) {
    String type = node.string("type");
    try {
      return switch (type) {
        case "kafka" -> {
          node.onlyKeys(KAFKA_KEYS);
          yield new KafkaSource(
              node.string("bootstrap_servers", null),
              node.string("topic", null),
              node.string("starting_offsets", "earliest"),
              node.stringMap("options"),
              parseFormat(node),
              node.bool("log_to_batch_source", false),
              columns(node));
        }
        case "kinesis" -> {
          node.onlyKeys(KINESIS_KEYS);
          yield new KinesisSource(
              node.string("stream_name", null),
              node.string("region", null),
              node.optString("endpoint"),
              node.string("connector", "kinesis"),
              node.string("starting_position", "TRIM_HORIZON"),
              node.stringMap("options"),
              parseFormat(node),
              node.bool("log_to_batch_source", false),
              columns(node));
        }
        default -> throw ConfigErrors.oneOf(node.pathOf("type"), List.of("kafka", "kinesis"), type);
      };
    } catch (ConfigException e) {
      throw prefixed(node.path(), e);
    }
  }

  static MessageFormat parseFormat(ConfigNode source) {
    if (!source.has("format")) {
      throw ConfigErrors.missingKey(
          source.pathOf("format"),
          "give format { type = avro, schema_file = ... }"
              + " or format { type = proto, descriptor_file = ..., message_name = ... }");
    }
    ConfigNode node = source.object("format");
    String type = node.string("type");
    return switch (type) {
      case "avro" -> {
        node.onlyKeys(Set.of("type", "schema_json", "schema_file", "confluent_wire_format"));
        yield new AvroFormat(
            node.optString("schema_json"),
            node.optString("schema_file"),
            node.bool("confluent_wire_format", false));
      }
      case "proto" -> {
        node.onlyKeys(Set.of("type", "descriptor_file", "message_name", "class_name"));
        yield new ProtoFormat(
            node.optString("descriptor_file"),
            node.optString("message_name"),
            node.optString("class_name"));
      }
      default -> throw ConfigErrors.oneOf(node.pathOf("type"), List.of("avro", "proto"), type);
    };
  }

  static SourceColumns columns(ConfigNode node) {
    return new SourceColumns(
        node.string("event_timestamp_column"),
        node.optString("created_timestamp_column"),
        node.stringMap("field_mapping"),
        node.optString("date_partition_column"));
  }

  static OnlineStoreConfig parseOnlineStore(ConfigNode node) {
    String type = node.string("type", "sqlite");
    int batchSize = node.integer("batch_size", 1000);
    int attempts = node.integer("max_attempts", 5);
    return switch (type) {
      case "sqlite" ->
          new SqliteStoreConfig(
              node.string("path"), batchSize, attempts, node.integer("busy_timeout_ms", 30000));
      case "redis" ->
          new RedisStoreConfig(
              node.string("host", "localhost"),
              node.integer("port", 6379),
              node.stringList("nodes"),
              node.bool("cluster", false),
              node.optString("user"),
              node.optString("password"),
              node.bool("tls", false),
              node.optString("tls_ca_file"),
              node.bool("tls_verify_host", true),
              node.integer("database", 0),
              node.integer("timeout_ms", 5000),
              batchSize,
              attempts,
              node.string("key_prefix", ""));
      default -> throw ConfigErrors.oneOf(node.pathOf("type"), List.of("sqlite", "redis"), type);
    };
  }

  /** Adds the config path to a record constructor's message, which does not know it. */
  private static ConfigException prefixed(String path, ConfigException e) {
    String msg = e.getMessage();
    if (msg.startsWith("feature_tables.") || msg.startsWith(path)) {
      return e;
    }
    return ConfigErrors.inPath(path, e);
  }

  private static Set<String> with(Set<String> base, String... more) {
    Set<String> out = new java.util.HashSet<>(base);
    out.addAll(List.of(more));
    return Set.copyOf(out);
  }
}
