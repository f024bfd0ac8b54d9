package io.featureingest.spec;

import java.io.File;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Every user-facing usage or config error (exit 2), in one place: a bad flag, a bad spec, an
 * unknown table. Each message says what is wrong, with the values, and how to fix it; see
 * docs/errors.md for the principles and the table of messages. {@link DataErrors} (exit 3) and
 * {@link StoreErrors} (exit 4) hold the other kinds.
 *
 * <pre>{@code
 * throw ConfigErrors.unknownTable("driver_tripz", List.of("driver_trips"), "data/registry");
 * }</pre>
 */
public final class ConfigErrors {
  private ConfigErrors() {}

  // ---- A value at a config path or a flag ----

  /** "path: expected X, got 'value'", the shape every other value check shares. */
  public static ConfigException expected(String path, String expected, Object got) {
    return new ConfigException(path + ": expected " + expected + ", got '" + got + "'");
  }

  /** A value outside a closed set: "path: expected a, b or c, got 'x'". */
  public static ConfigException oneOf(String path, List<String> allowed, Object got) {
    return expected(path, orList(allowed), got);
  }

  public static ConfigException notPositive(String path, Object got) {
    return expected(path, "a positive number", got);
  }

  public static ConfigException badDuration(String path, Object got) {
    return expected(path, "a duration such as 2d, 36h or 90m", got);
  }

  public static ConfigException badTimestamp(String flag, Object got) {
    return expected(flag, "an ISO-8601 timestamp such as 2021-04-12T10:00:00Z or 2021-04-12", got);
  }

  /** A key the block does not know (usually a typo), with the keys it does know. */
  public static ConfigException unknownKey(String path, Collection<String> allowed) {
    return new ConfigException(
        path + ": unknown key; allowed here: " + String.join(", ", new TreeSet<>(allowed)));
  }

  public static ConfigException missingKey(String path) {
    return new ConfigException(path + ": required key is missing");
  }

  /** A missing key with how to add it, e.g. an example block. */
  public static ConfigException missingKey(String path, String fix) {
    return new ConfigException(path + ": required key is missing; " + fix);
  }

  /** A record's required value: "kafka source: topic is required". */
  public static ConfigException required(String where, String what) {
    return new ConfigException(where + ": " + what + " is required");
  }

  /** A required value with an example: "kinesis source: region is required, e.g. us-east-1". */
  public static ConfigException required(String where, String what, String example) {
    return new ConfigException(where + ": " + what + " is required, e.g. " + example);
  }

  /** A required choice: "kafka source: format is required (avro or proto)". */
  public static ConfigException requiredOneOf(String where, String what, List<String> choices) {
    return new ConfigException(where + ": " + what + " is required (" + orList(choices) + ")");
  }

  public static ConfigException requiredNotEmpty(String key) {
    return new ConfigException(key + " is required and must not be empty");
  }

  public static ConfigException mustNotBeEmpty(String key) {
    return new ConfigException(key + " must not be empty");
  }

  /** Two settings of which exactly one must be given, and neither or both were. */
  public static ConfigException exactlyOneOf(String where, String one, String other) {
    return new ConfigException(where + ": give exactly one of " + one + " or " + other);
  }

  /** Two settings that exclude each other, and both were given. */
  public static ConfigException eitherNotBoth(String where, String one, String other) {
    return new ConfigException(where + ": give " + one + " or " + other + ", not both");
  }

  /** A record's message, which does not know its config path, under that path. */
  public static ConfigException inPath(String path, ConfigException e) {
    return new ConfigException(path + ": " + e.getMessage());
  }

  // ---- Config files and overrides ----

  public static ConfigException noConfigFile(File file) {
    return new ConfigException(
        "--config "
            + file
            + ": no such file; give the path of a HOCON file such as"
            + " conf/feature_repo.conf");
  }

  public static ConfigException notHocon(File file, com.typesafe.config.ConfigException e) {
    return new ConfigException(file + ": not valid HOCON: " + e.getMessage());
  }

  /** The layers parsed but do not resolve, e.g. a {@code ${VAR}} that is set nowhere. */
  public static ConfigException unresolvedConfig(com.typesafe.config.ConfigException e) {
    return new ConfigException("config: " + e.getMessage());
  }

  public static ConfigException badOverride(String override) {
    return new ConfigException(
        "--set " + override + ": expected key=value, e.g. --set online_store.type=redis");
  }

  public static ConfigException badOverrideKey(String override, String key) {
    return new ConfigException("--set " + override + ": '" + key + "' is not a valid config key");
  }

  // ---- Table specs ----

  /** A table, entity, feature or column name Feast and Spark SQL would not take unquoted. */
  public static ConfigException badName(String what, String name) {
    return new ConfigException(
        what
            + " '"
            + name
            + "' is not valid: use letters, digits and '_', starting with a letter or '_'");
  }

  public static ConfigException reservedName(String what, String name) {
    return new ConfigException(
        what
            + " '"
            + name
            + "' is reserved: names starting with _fi_ are feature-ingest's own columns");
  }

  public static ConfigException listEntity(String entity, ValueType type) {
    return new ConfigException(
        "entity '"
            + entity
            + "': type "
            + type
            + " is a list; an entity key must be a scalar type");
  }

  /** A table without entities or features; {@code example} may be null. */
  public static ConfigException noneGiven(String table, String what, String example) {
    return new ConfigException(
        "table "
            + table
            + ": no "
            + what
            + "; give at least one"
            + (example == null ? "" : ", e.g. " + example));
  }

  /** An entity or feature name given twice in one table. */
  public static ConfigException listedTwice(String table, String kind, String name) {
    return new ConfigException("table " + table + ": " + kind + " '" + name + "' is listed twice");
  }

  public static ConfigException featureNamedLikeEntity(String table, String feature) {
    return new ConfigException(
        "table "
            + table
            + ": feature '"
            + feature
            + "' has the name of an entity; rename the feature");
  }

  public static ConfigException maxAgeNotPositive(String table, Duration maxAge) {
    return new ConfigException("table " + table + ": max_age must be positive, got " + maxAge);
  }

  public static ConfigException maxAgeTooLong(String table, Duration maxAge) {
    return new ConfigException(
        "table "
            + table
            + ": max_age "
            + SpecDocument.durationText(maxAge)
            + " is longer than 100 years; give a shorter one, or leave max_age out for no limit");
  }

  public static ConfigException badTableRef(String ref) {
    return new ConfigException(
        "bigquery table_ref '"
            + ref
            + "' is malformed: expected project:dataset.table, project.dataset.table or"
            + " dataset.table");
  }

  /** An applied table whose new spec keys rows by other entities: refused without --force. */
  public static ConfigException entitiesChanged(
      String table, Collection<String> before, Collection<String> after) {
    return new ConfigException(
        "table "
            + table
            + ": entities change from "
            + before
            + " to "
            + after
            + "; rows already stored are keyed by the old entities."
            + " Use --force to replace the table anyway");
  }

  public static ConfigException entityTypeChanged(
      String table, String entity, ValueType from, ValueType to) {
    return new ConfigException(
        "table "
            + table
            + ": entity '"
            + entity
            + "' changes type from "
            + from
            + " to "
            + to
            + ". Use --force to replace the table anyway");
  }

  // ---- Tables, features and the registry ----

  /**
   * The one wording of an unknown table name, with the names that are known. {@code registryPath}
   * is null where only the config was looked at (apply).
   */
  public static ConfigException unknownTable(
      String name, Collection<String> known, String registryPath) {
    return new ConfigException(
        "unknown table '"
            + name
            + "': it is "
            + (registryPath == null
                ? "not"
                : "neither applied in the registry at " + registryPath + " nor")
            + " declared under feature_tables in the config; known tables: "
            + names(known, "(none)"));
  }

  /** An unknown table name where the caller has no names to offer (a lookup function). */
  public static ConfigException unknownTable(String name) {
    return new ConfigException("unknown table '" + name + "'");
  }

  /** A command that works on applied tables only (describe, delete) got another name. */
  public static ConfigException notApplied(String command, String table, String registryPath) {
    return new ConfigException(
        command
            + ": table '"
            + table
            + "' is not applied in the registry at "
            + registryPath
            + "; run 'apply' first, or 'list' to see the applied tables");
  }

  public static ConfigException noTablesDeclared(String command) {
    return new ConfigException(
        command
            + ": the config declares no feature_tables; give --config FILE"
            + " with a feature_tables { ... } block");
  }

  public static ConfigException registryDamaged(Object file, RuntimeException e) {
    return new ConfigException(
        "registry "
            + file
            + " is damaged: "
            + e.getMessage()
            + "; re-apply the table with 'apply --force'");
  }

  /** The one wording of a feature the table does not have, with the ones it has. */
  public static ConfigException unknownFeature(
      String table, String feature, List<String> features) {
    return new ConfigException(
        "unknown feature '"
            + table
            + ":"
            + feature
            + "'; table "
            + table
            + " has "
            + String.join(", ", features));
  }

  public static ConfigException noFeatureRequested(String table) {
    return new ConfigException("table " + table + ": no feature requested");
  }

  public static ConfigException noFeaturesGiven() {
    return new ConfigException("--features: give at least one table:feature");
  }

  public static ConfigException unknownFeatureList(String text, Collection<String> lists) {
    return new ConfigException(
        "--features '"
            + text
            + "': neither table:feature,... nor a feature list of the config (feature_lists: "
            + names(lists, "none")
            + ")");
  }

  public static ConfigException badFeatureRef(String table, String feature) {
    return new ConfigException(
        "feature reference needs a table and a feature, e.g. driver_trips:driver_rating; got "
            + table
            + ":"
            + feature);
  }

  /** {@code --entity} names other keys than the table's entities. */
  public static ConfigException wrongEntityKeys(String text, String table, List<String> entities) {
    return new ConfigException(
        "--entity "
            + text
            + ": table "
            + table
            + " is keyed by "
            + entities
            + "; give each of them once, e.g. --entity "
            + String.join(",", entities.stream().map(n -> n + "=...").toList()));
  }

  public static ConfigException fieldIdClash(String table, String one, String other, int id) {
    return new ConfigException(
        "table "
            + table
            + ": features '"
            + one
            + "' and '"
            + other
            + "' share the online field id "
            + id
            + " (a 16-bit hash of name and type); rename one of them");
  }

  public static ConfigException noStreamSource(String table) {
    return new ConfigException(
        "table "
            + table
            + " has no stream_source; declare one (type = kafka or kinesis) to run stream");
  }

  /**
   * A location (checkpoint, quarantine) that defaults to a folder of the batch source, which is not
   * a file source here.
   */
  public static ConfigException noDefaultLocation(String table, String location, String fix) {
    return new ConfigException(
        "table "
            + table
            + ": its batch source is not a file source, so there is no default "
            + location
            + "; "
            + fix);
  }

  // ---- Command-line runs ----

  public static ConfigException noSuchPath(String flag, String path) {
    return new ConfigException(flag + " " + path + ": no such file or folder");
  }

  /** A file that exists (or may) but cannot be read; {@code subject} names flag or key and path. */
  public static ConfigException cannotRead(String subject, Exception e) {
    return new ConfigException(subject + ": cannot read it: " + e.getMessage());
  }

  /** An empty or reversed window: "--start S must be before --end E". */
  public static ConfigException startNotBeforeEnd(
      String startLabel, Object start, String endLabel, Object end) {
    return new ConfigException(
        startLabel + " " + start + " must be before " + endLabel + " " + end);
  }

  public static ConfigException endBeforeWatermark(String end, String table, Object watermark) {
    return new ConfigException(
        "--end "
            + end
            + " is before table "
            + table
            + "'s watermark "
            + watermark
            + " (where its last materialize-incremental stopped); give a later --end, or"
            + " use materialize --start --end to re-materialize a past window");
  }

  public static ConfigException notAvailable(String command) {
    return new ConfigException(
        "'" + command + "' is not available yet in this build of feature-ingest");
  }

  // ---- Message formats (Avro, Protobuf) ----

  public static ConfigException badAvroSchema(Optional<String> schemaFile, RuntimeException e) {
    return new ConfigException(
        "avro format: the schema "
            + schemaFile.map(f -> "in " + f + " ").orElse("")
            + "is not valid Avro: "
            + e.getMessage());
  }

  public static ConfigException avroNotRecord(Object type) {
    return new ConfigException("avro format: the schema must be a record, got " + type);
  }

  public static ConfigException protoNeedsDescriptorOrClass() {
    return new ConfigException(
        "proto format: give descriptor_file with message_name, or class_name of a compiled message");
  }

  public static ConfigException protoNeedsMessageName(String descriptorFile) {
    return new ConfigException(
        "proto format: descriptor_file '"
            + descriptorFile
            + "' needs message_name, the full name of the message, e.g. example.DriverTrip");
  }

  public static ConfigException notDescriptorSet(Exception e) {
    return new ConfigException(
        "proto format: the descriptor file is not a FileDescriptorSet (make it with protoc"
            + " --include_imports --descriptor_set_out=FILE): "
            + e.getMessage());
  }

  public static ConfigException messageNotInSet(String messageName, Collection<String> files) {
    return new ConfigException(
        "proto format: message_name '"
            + messageName
            + "' is not in the descriptor set; give the full name with its package, e.g."
            + " example.DriverTrip (files in the set: "
            + files
            + ")");
  }

  public static ConfigException missingImport(String file) {
    return new ConfigException(
        "proto format: the descriptor set lacks '"
            + file
            + "', an import; make the set with protoc --include_imports");
  }

  public static ConfigException invalidDescriptor(String file, Exception e) {
    return new ConfigException(
        "proto format: '" + file + "' in the descriptor set is invalid: " + e.getMessage());
  }

  /** A class_name that is missing ({@link ClassNotFoundException}) or not a protobuf message. */
  public static ConfigException badProtoClass(String className, Exception e) {
    if (e instanceof ClassNotFoundException) {
      return new ConfigException(
          "proto format: class_name '"
              + className
              + "' is not on the classpath; add its jar with spark-submit --jars");
    }
    return new ConfigException(
        "proto format: class_name '"
            + className
            + "' is not a compiled protobuf message (no static getDescriptor()): "
            + e);
  }

  public static ConfigException protoTooDeep(String message, int maxDepth) {
    return new ConfigException(
        "proto format: message "
            + message
            + " nests deeper than "
            + maxDepth
            + " levels (a recursive message?); it cannot become a table row");
  }

  // ---- The online store (never a password in a message: see RedisStoreConfig#describe) ----

  public static ConfigException tlsCaWithoutTls(String tlsCaFile) {
    return new ConfigException(
        "online_store.tls_ca_file is set ("
            + tlsCaFile
            + ") but online_store.tls is false; set tls = true to use it");
  }

  public static ConfigException caFileUnreadable(String pemFile, Exception e) {
    return new ConfigException(
        "online_store.tls_ca_file: cannot read "
            + pemFile
            + " ("
            + e.getMessage()
            + "); give the path of the server's CA certificate in PEM form on every node");
  }

  public static ConfigException caFileEmpty(String pemFile) {
    return new ConfigException(
        "online_store.tls_ca_file: " + pemFile + " holds no PEM certificate");
  }

  public static ConfigException caFileNotPem(String pemFile, Exception e) {
    return new ConfigException(
        "online_store.tls_ca_file: " + pemFile + " is not a PEM certificate (" + e + ")");
  }

  /** AUTH refused; the server's reply is shown with the password masked, should it echo it. */
  public static ConfigException credentialsRefused(RedisStoreConfig store, String reply) {
    return new ConfigException(
        "online store "
            + store.describe()
            + " refused the credentials ("
            + masked(reply, store)
            + "); check online_store.user and online_store.password");
  }

  public static ConfigException tlsHandshakeFailed(RedisStoreConfig store, String reason) {
    return new ConfigException(
        "online store "
            + store.describe()
            + ": the TLS handshake failed ("
            + masked(reason, store)
            + "); check that online_store.tls_ca_file holds the CA that signed the server's"
            + " certificate and that the certificate names the host (or set tls_verify_host"
            + " = false for cluster nodes announced by address)");
  }

  // ---- Rendering ----

  /** "a", "a or b", "a, b or c". */
  static String orList(List<String> items) {
    int n = items.size();
    return n <= 1
        ? String.join("", items)
        : String.join(", ", items.subList(0, n - 1)) + " or " + items.get(n - 1);
  }

  private static String names(Collection<String> names, String none) {
    return names.isEmpty() ? none : String.join(", ", new TreeSet<>(names));
  }

  private static String masked(String text, RedisStoreConfig store) {
    String out = String.valueOf(text);
    if (store.password().isPresent()) {
      out = out.replace(store.password().get(), "***");
    }
    return out;
  }
}
