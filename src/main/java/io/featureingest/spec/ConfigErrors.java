package io.featureingest.spec;

import java.io.File;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
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
    return error("%s: expected %s, got '%s'", path, expected, got);
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
    return error("%s: unknown key; allowed here: %s", path, names(allowed, ""));
  }

  public static ConfigException missingKey(String path) {
    return error("%s: required key is missing", path);
  }

  /** A missing key with how to add it, e.g. an example block. */
  public static ConfigException missingKey(String path, String fix) {
    return error("%s: required key is missing; %s", path, fix);
  }

  /** A record's required value: "kafka source: topic is required". */
  public static ConfigException required(String where, String what) {
    return error("%s: %s is required", where, what);
  }

  /** A required value with an example: "kinesis source: region is required, e.g. us-east-1". */
  public static ConfigException required(String where, String what, String example) {
    return error("%s: %s is required, e.g. %s", where, what, example);
  }

  /** A required choice: "kafka source: format is required (avro or proto)". */
  public static ConfigException requiredOneOf(String where, String what, List<String> choices) {
    return error("%s: %s is required (%s)", where, what, orList(choices));
  }

  public static ConfigException requiredNotEmpty(String key) {
    return error("%s is required and must not be empty", key);
  }

  public static ConfigException mustNotBeEmpty(String key) {
    return error("%s must not be empty", key);
  }

  /** Two settings of which exactly one must be given, and neither or both were. */
  public static ConfigException exactlyOneOf(String where, String one, String other) {
    return error("%s: give exactly one of %s or %s", where, one, other);
  }

  /** Two settings that exclude each other, and both were given. */
  public static ConfigException eitherNotBoth(String where, String one, String other) {
    return error("%s: give %s or %s, not both", where, one, other);
  }

  /** A record's message, which does not know its config path, under that path. */
  public static ConfigException inPath(String path, ConfigException e) {
    return error("%s: %s", path, e.getMessage());
  }

  // ---- Config files and overrides ----

  public static ConfigException noConfigFile(File file) {
    return error(
        "--config %s: no such file; give the path of a HOCON file such as conf/feature_repo.conf",
        file);
  }

  public static ConfigException notHocon(File file, com.typesafe.config.ConfigException e) {
    return error("%s: not valid HOCON: %s", file, e.getMessage());
  }

  /** The layers parsed but do not resolve, e.g. a {@code ${VAR}} that is set nowhere. */
  public static ConfigException unresolvedConfig(com.typesafe.config.ConfigException e) {
    return error("config: %s", e.getMessage());
  }

  public static ConfigException badOverride(String override) {
    return error("--set %s: expected key=value, e.g. --set online_store.type=redis", override);
  }

  public static ConfigException badOverrideKey(String override, String key) {
    return error("--set %s: '%s' is not a valid config key", override, key);
  }

  // ---- Table specs ----

  /** A table, entity, feature or column name Feast and Spark SQL would not take unquoted. */
  public static ConfigException badName(String what, String name) {
    return error(
        "%s '%s' is not valid: use letters, digits and '_', starting with a letter or '_'",
        what, name);
  }

  public static ConfigException reservedName(String what, String name) {
    return error(
        "%s '%s' is reserved: names starting with _fi_ are feature-ingest's own columns",
        what, name);
  }

  public static ConfigException listEntity(String entity, ValueType type) {
    return error(
        "entity '%s': type %s is a list; an entity key must be a scalar type", entity, type);
  }

  /** A table without entities or features; {@code example} may be null. */
  public static ConfigException noneGiven(String table, String what, String example) {
    return error(
        "table %s: no %s; give at least one%s",
        table, what, example == null ? "" : ", e.g. " + example);
  }

  /** An entity or feature name given twice in one table. */
  public static ConfigException listedTwice(String table, String kind, String name) {
    return error("table %s: %s '%s' is listed twice", table, kind, name);
  }

  public static ConfigException featureNamedLikeEntity(String table, String feature) {
    return error(
        "table %s: feature '%s' has the name of an entity; rename the feature", table, feature);
  }

  public static ConfigException maxAgeNotPositive(String table, Duration maxAge) {
    return error("table %s: max_age must be positive, got %s", table, maxAge);
  }

  public static ConfigException maxAgeTooLong(String table, Duration maxAge) {
    return error(
        "table %s: max_age %s is longer than 100 years; give a shorter one, or leave max_age out"
            + " for no limit",
        table, SpecDocument.durationText(maxAge));
  }

  public static ConfigException badTableRef(String ref) {
    return error(
        "bigquery table_ref '%s' is malformed: expected project:dataset.table,"
            + " project.dataset.table or dataset.table",
        ref);
  }

  /** An applied table whose new spec keys rows by other entities: refused without --force. */
  public static ConfigException entitiesChanged(
      String table, Collection<String> before, Collection<String> after) {
    return error(
        "table %s: entities change from %s to %s; rows already stored are keyed by the old"
            + " entities. Use --force to replace the table anyway",
        table, before, after);
  }

  public static ConfigException entityTypeChanged(
      String table, String entity, ValueType from, ValueType to) {
    return error(
        "table %s: entity '%s' changes type from %s to %s. Use --force to replace the table"
            + " anyway",
        table, entity, from, to);
  }

  // ---- Tables, features and the registry ----

  /**
   * The one wording of an unknown table name, with the names that are known. {@code registryPath}
   * is null where only the config was looked at (apply).
   */
  public static ConfigException unknownTable(
      String name, Collection<String> known, String registryPath) {
    return error(
        "unknown table '%s': it is %s declared under feature_tables in the config; known tables:"
            + " %s",
        name,
        registryPath == null
            ? "not"
            : "neither applied in the registry at " + registryPath + " nor",
        names(known, "(none)"));
  }

  /** An unknown table name where the caller has no names to offer (a lookup function). */
  public static ConfigException unknownTable(String name) {
    return error("unknown table '%s'", name);
  }

  /** A command that works on applied tables only (describe, delete) got another name. */
  public static ConfigException notApplied(String command, String table, String registryPath) {
    return error(
        "%s: table '%s' is not applied in the registry at %s; run 'apply' first, or 'list' to"
            + " see the applied tables",
        command, table, registryPath);
  }

  public static ConfigException noTablesDeclared(String command) {
    return error(
        "%s: the config declares no feature_tables; give --config FILE with a feature_tables {"
            + " ... } block",
        command);
  }

  public static ConfigException registryDamaged(Object file, RuntimeException e) {
    return error(
        "registry %s is damaged: %s; re-apply the table with 'apply --force'",
        file, e.getMessage());
  }

  /** The one wording of a feature the table does not have, with the ones it has. */
  public static ConfigException unknownFeature(
      String table, String feature, List<String> features) {
    return error(
        "unknown feature '%s:%s'; table %s has %s",
        table, feature, table, String.join(", ", features));
  }

  public static ConfigException noFeatureRequested(String table) {
    return error("table %s: no feature requested", table);
  }

  public static ConfigException noFeaturesGiven() {
    return error("--features: give at least one table:feature");
  }

  public static ConfigException unknownFeatureList(String text, Collection<String> lists) {
    return error(
        "--features '%s': neither table:feature,... nor a feature list of the config"
            + " (feature_lists: %s)",
        text, names(lists, "none"));
  }

  public static ConfigException badFeatureRef(String table, String feature) {
    return error(
        "feature reference needs a table and a feature, e.g. driver_trips:driver_rating; got"
            + " %s:%s",
        table, feature);
  }

  /** {@code --entity} names other keys than the table's entities. */
  public static ConfigException wrongEntityKeys(String text, String table, List<String> entities) {
    return error(
        "--entity %s: table %s is keyed by %s; give each of them once, e.g. --entity %s",
        text, table, entities, String.join(",", entities.stream().map(n -> n + "=...").toList()));
  }

  public static ConfigException fieldIdClash(String table, String one, String other, int id) {
    return error(
        "table %s: features '%s' and '%s' share the online field id %s (a 16-bit hash of name"
            + " and type); rename one of them",
        table, one, other, id);
  }

  public static ConfigException noStreamSource(String table) {
    return error(
        "table %s has no stream_source; declare one (type = kafka or kinesis) to run stream",
        table);
  }

  /**
   * A location (checkpoint, quarantine) that defaults to a folder of the batch source, which is not
   * a file source here.
   */
  public static ConfigException noDefaultLocation(String table, String location, String fix) {
    return error(
        "table %s: its batch source is not a file source, so there is no default %s; %s",
        table, location, fix);
  }

  // ---- Command-line runs ----

  public static ConfigException noSuchPath(String flag, String path) {
    return error("%s %s: no such file or folder", flag, path);
  }

  /** A file that exists (or may) but cannot be read; {@code subject} names flag or key and path. */
  public static ConfigException cannotRead(String subject, Exception e) {
    return error("%s: cannot read it: %s", subject, e.getMessage());
  }

  /** An empty or reversed window: "--start S must be before --end E". */
  public static ConfigException startNotBeforeEnd(
      String startLabel, Object start, String endLabel, Object end) {
    return error("%s %s must be before %s %s", startLabel, start, endLabel, end);
  }

  public static ConfigException endBeforeWatermark(String end, String table, Object watermark) {
    return error(
        "--end %s is before table %s's watermark %s (where its last materialize-incremental"
            + " stopped); give a later --end, or use materialize --start --end to re-materialize"
            + " a past window",
        end, table, watermark);
  }

  public static ConfigException notAvailable(String command) {
    return error("'%s' is not available yet in this build of feature-ingest", command);
  }

  // ---- The online store (never a password in a message: see RedisStoreConfig#describe) ----

  public static ConfigException tlsCaWithoutTls(String tlsCaFile) {
    return error(
        "online_store.tls_ca_file is set (%s) but online_store.tls is false; set tls = true to"
            + " use it",
        tlsCaFile);
  }

  public static ConfigException caFileUnreadable(String pemFile, Exception e) {
    return error(
        "online_store.tls_ca_file: cannot read %s (%s); give the path of the server's CA"
            + " certificate in PEM form on every node",
        pemFile, e.getMessage());
  }

  public static ConfigException caFileEmpty(String pemFile) {
    return error("online_store.tls_ca_file: %s holds no PEM certificate", pemFile);
  }

  public static ConfigException caFileNotPem(String pemFile, Exception e) {
    return error("online_store.tls_ca_file: %s is not a PEM certificate (%s)", pemFile, e);
  }

  /** AUTH refused; the server's reply is shown with the password masked, should it echo it. */
  public static ConfigException credentialsRefused(RedisStoreConfig store, String reply) {
    return error(
        "online store %s refused the credentials (%s); check online_store.user and"
            + " online_store.password",
        store.describe(), masked(reply, store));
  }

  public static ConfigException tlsHandshakeFailed(RedisStoreConfig store, String reason) {
    return error(
        "online store %s: the TLS handshake failed (%s); check that online_store.tls_ca_file"
            + " holds the CA that signed the server's certificate and that the certificate names"
            + " the host (or set tls_verify_host = false for cluster nodes announced by address)",
        store.describe(), masked(reason, store));
  }

  // ---- Rendering ----

  /** Messages are templates with %s only, so a value renders as String.valueOf would. */
  static ConfigException error(String template, Object... values) {
    return new ConfigException(String.format(Locale.ROOT, template, values));
  }

  /** "a", "a or b", "a, b or c". */
  static String orList(List<String> items) {
    int n = items.size();
    return n <= 1
        ? String.join("", items)
        : String.join(", ", items.subList(0, n - 1)) + " or " + items.get(n - 1);
  }

  static String names(Collection<String> names, String none) {
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
