package io.featureingest.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every factory method of {@link ConfigErrors}, {@link DataErrors} and {@link StoreErrors}: its
 * exact message and exit code, one row each (a new method without a row fails {@link
 * #everyFactoryMethodHasARow}), plus the rule that no store message shows a password.
 */
class ErrorsTest {
  private static final String PASSWORD = "pa55-w0rd-n0t-for-logs";

  private static RedisStoreConfig redis(String password, boolean cluster, List<String> nodes) {
    return new RedisStoreConfig(
        "cache.internal",
        6380,
        nodes,
        cluster,
        Optional.of("feature_writer"),
        Optional.ofNullable(password),
        true,
        Optional.empty(),
        true,
        0,
        5000,
        1000,
        5,
        "");
  }

  private static Arguments row(
      String method, FeatureIngestException e, int exitCode, String message) {
    return Arguments.of(method, e, exitCode, message);
  }

  static Stream<Arguments> messages() {
    RedisStoreConfig store = redis(PASSWORD, false, List.of());
    IOException io = new IOException("Connection refused");
    return Stream.of(
        // ---- exit 2: values at a path or flag
        row(
            "expected",
            ConfigErrors.expected("online_store.port", "a TCP port between 1 and 65535", 70000),
            2,
            "online_store.port: expected a TCP port between 1 and 65535, got '70000'"),
        row(
            "oneOf",
            ConfigErrors.oneOf("--input-format", List.of("parquet", "csv", "json"), "xml"),
            2,
            "--input-format: expected parquet, csv or json, got 'xml'"),
        row(
            "notPositive",
            ConfigErrors.notPositive("online_store.batch_size", 0),
            2,
            "online_store.batch_size: expected a positive number, got '0'"),
        row(
            "badDuration",
            ConfigErrors.badDuration("feature_tables.t.max_age", "two days"),
            2,
            "feature_tables.t.max_age: expected a duration such as 2d, 36h or 90m, got 'two days'"),
        row(
            "badTimestamp",
            ConfigErrors.badTimestamp("--end", "yesterday"),
            2,
            "--end: expected an ISO-8601 timestamp such as 2021-04-12T10:00:00Z or 2021-04-12,"
                + " got 'yesterday'"),
        row(
            "unknownKey",
            ConfigErrors.unknownKey("feature_tables.t.max_agee", Set.of("max_age", "labels")),
            2,
            "feature_tables.t.max_agee: unknown key; allowed here: labels, max_age"),
        row(
            "missingKey",
            ConfigErrors.missingKey("feature_tables.t.entities[0].type"),
            2,
            "feature_tables.t.entities[0].type: required key is missing"),
        row(
            "missingKey",
            ConfigErrors.missingKey("feature_tables.t.batch_source", "every table needs one"),
            2,
            "feature_tables.t.batch_source: required key is missing; every table needs one"),
        row(
            "required",
            ConfigErrors.required("kafka source", "topic"),
            2,
            "kafka source: topic is required"),
        row(
            "required",
            ConfigErrors.required("kinesis source", "region", "us-east-1"),
            2,
            "kinesis source: region is required, e.g. us-east-1"),
        row(
            "requiredOneOf",
            ConfigErrors.requiredOneOf("kafka source", "format", List.of("avro", "proto")),
            2,
            "kafka source: format is required (avro or proto)"),
        row(
            "requiredNotEmpty",
            ConfigErrors.requiredNotEmpty("event_timestamp_column"),
            2,
            "event_timestamp_column is required and must not be empty"),
        row(
            "mustNotBeEmpty",
            ConfigErrors.mustNotBeEmpty("retrieve.entity_timestamp_column"),
            2,
            "retrieve.entity_timestamp_column must not be empty"),
        row(
            "exactlyOneOf",
            ConfigErrors.exactlyOneOf("bigquery source", "table_ref", "query"),
            2,
            "bigquery source: give exactly one of table_ref or query"),
        row(
            "eitherNotBoth",
            ConfigErrors.eitherNotBoth("stream", "--trigger", "--available-now"),
            2,
            "stream: give --trigger or --available-now, not both"),
        row(
            "inPath",
            ConfigErrors.inPath(
                "feature_tables.t.batch_source", ConfigErrors.required("file source", "path")),
            2,
            "feature_tables.t.batch_source: file source: path is required"),
        // ---- exit 2: config files and overrides
        row(
            "noConfigFile",
            ConfigErrors.noConfigFile(new File("/no/such.conf")),
            2,
            "--config /no/such.conf: no such file; give the path of a HOCON file such as"
                + " conf/feature_repo.conf"),
        row(
            "notHocon",
            ConfigErrors.notHocon(
                new File("broken.conf"), new com.typesafe.config.ConfigException.Generic("line 1")),
            2,
            "broken.conf: not valid HOCON: line 1"),
        row(
            "unresolvedConfig",
            ConfigErrors.unresolvedConfig(
                new com.typesafe.config.ConfigException.Generic("NO_SUCH_VARIABLE is not set")),
            2,
            "config: NO_SUCH_VARIABLE is not set"),
        row(
            "badOverride",
            ConfigErrors.badOverride("novalue"),
            2,
            "--set novalue: expected key=value, e.g. --set online_store.type=redis"),
        row(
            "badOverrideKey",
            ConfigErrors.badOverrideKey("a..b=1", "a..b"),
            2,
            "--set a..b=1: 'a..b' is not a valid config key"),
        // ---- exit 2: table specs
        row(
            "badName",
            ConfigErrors.badName("table name", "9lives"),
            2,
            "table name '9lives' is not valid: use letters, digits and '_', starting with a letter"
                + " or '_'"),
        row(
            "reservedName",
            ConfigErrors.reservedName("feature name", "_fi_reason"),
            2,
            "feature name '_fi_reason' is reserved: names starting with _fi_ are feature-ingest's"
                + " own columns"),
        row(
            "listEntity",
            ConfigErrors.listEntity("ids", ValueType.INT64_LIST),
            2,
            "entity 'ids': type INT64_LIST is a list; an entity key must be a scalar type"),
        row(
            "noneGiven",
            ConfigErrors.noneGiven("t", "entities", "entities = [ { name = id, type = INT64 } ]"),
            2,
            "table t: no entities; give at least one, e.g. entities = [ { name = id, type = INT64"
                + " } ]"),
        row(
            "noneGiven",
            ConfigErrors.noneGiven("t", "features", null),
            2,
            "table t: no features; give at least one"),
        row(
            "listedTwice",
            ConfigErrors.listedTwice("t", "feature", "f"),
            2,
            "table t: feature 'f' is listed twice"),
        row(
            "featureNamedLikeEntity",
            ConfigErrors.featureNamedLikeEntity("t", "id"),
            2,
            "table t: feature 'id' has the name of an entity; rename the feature"),
        row(
            "maxAgeNotPositive",
            ConfigErrors.maxAgeNotPositive("t", Duration.ZERO),
            2,
            "table t: max_age must be positive, got PT0S"),
        row(
            "maxAgeTooLong",
            ConfigErrors.maxAgeTooLong("t", Duration.ofDays(40_000)),
            2,
            "table t: max_age 40000d is longer than 100 years; give a shorter one, or leave"
                + " max_age out for no limit"),
        row(
            "badTableRef",
            ConfigErrors.badTableRef("just_a_table"),
            2,
            "bigquery table_ref 'just_a_table' is malformed: expected project:dataset.table,"
                + " project.dataset.table or dataset.table"),
        row(
            "entitiesChanged",
            ConfigErrors.entitiesChanged("t", List.of("driver_id"), List.of("driver_id", "city")),
            2,
            "table t: entities change from [driver_id] to [driver_id, city]; rows already stored"
                + " are keyed by the old entities. Use --force to replace the table anyway"),
        row(
            "entityTypeChanged",
            ConfigErrors.entityTypeChanged("t", "e", ValueType.STRING, ValueType.INT64),
            2,
            "table t: entity 'e' changes type from STRING to INT64. Use --force to replace the"
                + " table anyway"),
        // ---- exit 2: tables, features, registry
        row(
            "unknownTable",
            ConfigErrors.unknownTable(
                "driver_tripz", List.of("driver_trips", "customer_profile"), "data/registry"),
            2,
            "unknown table 'driver_tripz': it is neither applied in the registry at data/registry"
                + " nor declared under feature_tables in the config; known tables:"
                + " customer_profile, driver_trips"),
        row(
            "unknownTable",
            ConfigErrors.unknownTable("driver_tripz", List.of("driver_trips"), null),
            2,
            "unknown table 'driver_tripz': it is not declared under feature_tables in the config;"
                + " known tables: driver_trips"),
        row(
            "unknownTable",
            ConfigErrors.unknownTable("driver_tripz", List.of(), "data/registry"),
            2,
            "unknown table 'driver_tripz': it is neither applied in the registry at data/registry"
                + " nor declared under feature_tables in the config; known tables: (none)"),
        row(
            "unknownTable",
            ConfigErrors.unknownTable("driver_tripz"),
            2,
            "unknown table 'driver_tripz'"),
        row(
            "notApplied",
            ConfigErrors.notApplied("describe", "driver_tripz", "data/registry"),
            2,
            "describe: table 'driver_tripz' is not applied in the registry at data/registry; run"
                + " 'apply' first, or 'list' to see the applied tables"),
        row(
            "noTablesDeclared",
            ConfigErrors.noTablesDeclared("apply"),
            2,
            "apply: the config declares no feature_tables; give --config FILE with a"
                + " feature_tables { ... } block"),
        row(
            "registryDamaged",
            ConfigErrors.registryDamaged(
                "data/registry/tables/t.json",
                new com.typesafe.config.ConfigException.Generic("unexpected end of file")),
            2,
            "registry data/registry/tables/t.json is damaged: unexpected end of file; re-apply the"
                + " table with 'apply --force'"),
        row(
            "unknownFeature",
            ConfigErrors.unknownFeature("driver_trips", "speed", List.of("conv_rate", "acc_rate")),
            2,
            "unknown feature 'driver_trips:speed'; table driver_trips has conv_rate, acc_rate"),
        row(
            "noFeatureRequested",
            ConfigErrors.noFeatureRequested("t"),
            2,
            "table t: no feature requested"),
        row(
            "noFeaturesGiven",
            ConfigErrors.noFeaturesGiven(),
            2,
            "--features: give at least one table:feature"),
        row(
            "unknownFeatureList",
            ConfigErrors.unknownFeatureList("ranking", Set.of("v2", "v1")),
            2,
            "--features 'ranking': neither table:feature,... nor a feature list of the config"
                + " (feature_lists: v1, v2)"),
        row(
            "unknownFeatureList",
            ConfigErrors.unknownFeatureList("ranking", Set.of()),
            2,
            "--features 'ranking': neither table:feature,... nor a feature list of the config"
                + " (feature_lists: none)"),
        row(
            "badFeatureRef",
            ConfigErrors.badFeatureRef("driver_trips", ""),
            2,
            "feature reference needs a table and a feature, e.g. driver_trips:driver_rating; got"
                + " driver_trips:"),
        row(
            "wrongEntityKeys",
            ConfigErrors.wrongEntityKeys("id=1", "t", List.of("driver_id", "city")),
            2,
            "--entity id=1: table t is keyed by [driver_id, city]; give each of them once, e.g."
                + " --entity driver_id=...,city=..."),
        row(
            "fieldIdClash",
            ConfigErrors.fieldIdClash("t", "a", "b", 4242),
            2,
            "table t: features 'a' and 'b' share the online field id 4242 (a 16-bit hash of name"
                + " and type); rename one of them"),
        row(
            "noStreamSource",
            ConfigErrors.noStreamSource("t"),
            2,
            "table t has no stream_source; declare one (type = kafka or kinesis) to run stream"),
        row(
            "noDefaultLocation",
            ConfigErrors.noDefaultLocation(
                "t", "checkpoint", "give --checkpoint URI or set stream.checkpoint_root"),
            2,
            "table t: its batch source is not a file source, so there is no default checkpoint;"
                + " give --checkpoint URI or set stream.checkpoint_root"),
        // ---- exit 2: batch sources
        row(
            "dedupNeedsDelta",
            SourceErrors.dedupNeedsDelta("t", "parquet"),
            2,
            "table t: --dedup merges into a delta batch source; this one is parquet. Drop --dedup,"
                + " or use format = delta"),
        row(
            "dedupNeedsFileSource",
            SourceErrors.dedupNeedsFileSource("t", "bigquery"),
            2,
            "table t: ingest writes file batch sources (parquet or delta); its batch source is"
                + " bigquery"),
        row(
            "logNeedsFileSource",
            SourceErrors.logNeedsFileSource("t"),
            2,
            "table t: log_to_batch_source needs a file batch source (parquet or delta)"),
        row(
            "queryNotWritable",
            SourceErrors.queryNotWritable(),
            2,
            "cannot ingest into a bigquery source defined by a query; give table_ref instead"),
        row(
            "queryNeedsMaterializationDataset",
            SourceErrors.queryNeedsMaterializationDataset(),
            2,
            "bigquery source with a query needs materialization_dataset: a dataset where the"
                + " connector may create temporary tables"),
        row(
            "indirectWriteNeedsBucket",
            SourceErrors.indirectWriteNeedsBucket(),
            2,
            "indirect BigQuery writes need a temporary GCS bucket: set"
                + " bigquery.temporary_gcs_bucket"),
        row(
            "bigQueryConnectorMissing",
            SourceErrors.bigQueryConnectorMissing(),
            2,
            "the BigQuery connector is not on the classpath: Dataproc ships it; elsewhere (EMR,"
                + " local) add com.google.cloud.spark:spark-bigquery-with-dependencies_2.12:0.42.1"
                + " with spark-submit --jars or --packages"),
        // ---- exit 2: command-line runs
        row(
            "noSuchPath",
            ConfigErrors.noSuchPath("--input", "data/in.csv"),
            2,
            "--input data/in.csv: no such file or folder"),
        row(
            "cannotRead",
            ConfigErrors.cannotRead("avro schema_file 'x.avsc'", new IOException("denied")),
            2,
            "avro schema_file 'x.avsc': cannot read it: denied"),
        row(
            "startNotBeforeEnd",
            ConfigErrors.startNotBeforeEnd("--start", "2021-04-13", "--end", "2021-04-12"),
            2,
            "--start 2021-04-13 must be before --end 2021-04-12"),
        row(
            "endBeforeWatermark",
            ConfigErrors.endBeforeWatermark("2021-04-12", "t", "2021-04-13T00:00:00Z"),
            2,
            "--end 2021-04-12 is before table t's watermark 2021-04-13T00:00:00Z (where its last"
                + " materialize-incremental stopped); give a later --end, or use materialize"
                + " --start --end to re-materialize a past window"),
        row(
            "notAvailable",
            ConfigErrors.notAvailable("serve"),
            2,
            "'serve' is not available yet in this build of feature-ingest"),
        // ---- exit 2: message formats
        row(
            "badAvroSchema",
            SourceErrors.badAvroSchema(Optional.of("s.avsc"), new RuntimeException("no type")),
            2,
            "avro format: the schema in s.avsc is not valid Avro: no type"),
        row(
            "badAvroSchema",
            SourceErrors.badAvroSchema(Optional.empty(), new RuntimeException("no type")),
            2,
            "avro format: the schema is not valid Avro: no type"),
        row(
            "avroNotRecord",
            SourceErrors.avroNotRecord("STRING"),
            2,
            "avro format: the schema must be a record, got STRING"),
        row(
            "protoNeedsDescriptorOrClass",
            SourceErrors.protoNeedsDescriptorOrClass(),
            2,
            "proto format: give descriptor_file with message_name, or class_name of a compiled"
                + " message"),
        row(
            "protoNeedsMessageName",
            SourceErrors.protoNeedsMessageName("trips.desc"),
            2,
            "proto format: descriptor_file 'trips.desc' needs message_name, the full name of the"
                + " message, e.g. example.DriverTrip"),
        row(
            "notDescriptorSet",
            SourceErrors.notDescriptorSet(new IOException("truncated")),
            2,
            "proto format: the descriptor file is not a FileDescriptorSet (make it with protoc"
                + " --include_imports --descriptor_set_out=FILE): truncated"),
        row(
            "messageNotInSet",
            SourceErrors.messageNotInSet("DriverTrip", List.of("trip.proto")),
            2,
            "proto format: message_name 'DriverTrip' is not in the descriptor set; give the full"
                + " name with its package, e.g. example.DriverTrip (files in the set:"
                + " [trip.proto])"),
        row(
            "missingImport",
            SourceErrors.missingImport("common.proto"),
            2,
            "proto format: the descriptor set lacks 'common.proto', an import; make the set with"
                + " protoc --include_imports"),
        row(
            "invalidDescriptor",
            SourceErrors.invalidDescriptor("trip.proto", new IllegalStateException("bad field")),
            2,
            "proto format: 'trip.proto' in the descriptor set is invalid: bad field"),
        row(
            "badProtoClass",
            SourceErrors.badProtoClass("example.Nope", new ClassNotFoundException("example.Nope")),
            2,
            "proto format: class_name 'example.Nope' is not on the classpath; add its jar with"
                + " spark-submit --jars"),
        row(
            "badProtoClass",
            SourceErrors.badProtoClass("java.lang.String", new NoSuchMethodException("x")),
            2,
            "proto format: class_name 'java.lang.String' is not a compiled protobuf message (no"
                + " static getDescriptor()): java.lang.NoSuchMethodException: x"),
        row(
            "protoTooDeep",
            SourceErrors.protoTooDeep("example.Tree", 32),
            2,
            "proto format: message example.Tree nests deeper than 32 levels (a recursive"
                + " message?); it cannot become a table row"),
        // ---- exit 2: the online store
        row(
            "tlsCaWithoutTls",
            ConfigErrors.tlsCaWithoutTls("ca.pem"),
            2,
            "online_store.tls_ca_file is set (ca.pem) but online_store.tls is false; set tls ="
                + " true to use it"),
        row(
            "caFileUnreadable",
            ConfigErrors.caFileUnreadable("ca.pem", new IOException("denied")),
            2,
            "online_store.tls_ca_file: cannot read ca.pem (denied); give the path of the server's"
                + " CA certificate in PEM form on every node"),
        row(
            "caFileEmpty",
            ConfigErrors.caFileEmpty("ca.pem"),
            2,
            "online_store.tls_ca_file: ca.pem holds no PEM certificate"),
        row(
            "caFileNotPem",
            ConfigErrors.caFileNotPem(
                "ca.pem", new java.security.cert.CertificateException("bad header")),
            2,
            "online_store.tls_ca_file: ca.pem is not a PEM certificate"
                + " (java.security.cert.CertificateException: bad header)"),
        row(
            "credentialsRefused",
            ConfigErrors.credentialsRefused(store, "WRONGPASS invalid username-password pair"),
            2,
            "online store redis cache.internal:6380 refused the credentials (WRONGPASS invalid"
                + " username-password pair); check online_store.user and online_store.password"),
        row(
            "tlsHandshakeFailed",
            ConfigErrors.tlsHandshakeFailed(
                redis(null, true, List.of("10.0.0.1:7000", "10.0.0.2:7000")),
                "PKIX path building failed"),
            2,
            "online store redis cluster 10.0.0.1:7000,10.0.0.2:7000: the TLS handshake failed"
                + " (PKIX path building failed); check that online_store.tls_ca_file holds the CA"
                + " that signed the server's certificate and that the certificate names the host"
                + " (or set tls_verify_host = false for cluster nodes announced by address)"),
        // ---- exit 3
        row(
            "columnType",
            DataErrors.columnType("t", "driver_id", "string", "INT64 (bigint)", "fix the input"),
            3,
            "table t: column 'driver_id' has type string, expected INT64 (bigint); fix the input"),
        row(
            "columnType",
            DataErrors.columnType("t", "event_timestamp", "string", "timestamp", ""),
            3,
            "table t: column 'event_timestamp' has type string, expected timestamp"),
        row(
            "missingEntityTimestamp",
            DataErrors.missingEntityTimestamp("event_timestamp", List.of("driver_id", "ts")),
            3,
            "entity data: timestamp column 'event_timestamp' is missing (found columns:"
                + " driver_id, ts); add it or name another with --entity-timestamp-column or"
                + " retrieve.entity_timestamp_column"),
        row(
            "missingEntityColumn",
            DataErrors.missingEntityColumn(
                "t", "driver_id", ValueType.INT64, List.of("event_timestamp")),
            3,
            "table t: entity column 'driver_id' (INT64) is missing from the entity data (found"
                + " columns: event_timestamp)"),
        row(
            "missingRowColumn",
            DataErrors.missingRowColumn("t", "f", List.of("driver_id", "_fi_event_ts")),
            3,
            "table t: column 'f' is missing from the table's rows (found columns: driver_id,"
                + " _fi_event_ts)"),
        row(
            "missingFeatureColumn",
            DataErrors.missingFeatureColumn("t", "f", List.of("driver_id", "datetime")),
            3,
            "table t: feature column 'f' is missing from its batch source (columns: driver_id,"
                + " datetime); ingest it or map it with field_mapping"),
        row(
            "badEntityTimestamp",
            DataErrors.badEntityTimestamp("entities.csv", "soon", "event_timestamp"),
            3,
            "entity data entities.csv: value 'soon' of column 'event_timestamp' is not an ISO-8601"
                + " timestamp (e.g. 2019-01-01T02:00:00Z)"),
        row(
            "missingInputColumn",
            DataErrors.missingInputColumn(
                "t",
                "feature",
                "f",
                List.of("driver_id", "datetime"),
                "FLOAT (float)",
                "add it, map it with field_mapping, or pass --allow-missing-features to store nulls"
                    + " for it"),
            3,
            "table t: feature column 'f' is missing from the input (found type: none; input"
                + " columns: [driver_id, datetime]), expected FLOAT (float); add it, map it with"
                + " field_mapping, or pass --allow-missing-features to store nulls for it"),
        row(
            "missingInputColumn",
            DataErrors.missingInputColumn(
                "t", "event timestamp", "datetime", List.of("driver_id"), "a timestamp", ""),
            3,
            "table t: event timestamp column 'datetime' is missing from the input (found type:"
                + " none; input columns: [driver_id]), expected a timestamp"),
        row(
            "badFieldMapping",
            DataErrors.badFieldMapping(
                "t",
                "feature",
                "rating",
                "stars +",
                List.of("driver_id", "stars"),
                new IllegalArgumentException("Syntax error at end of input\n== SQL ==\nstars +")),
            3,
            "table t: field_mapping for feature 'rating' is 'stars +', which is neither an input"
                + " column nor an expression over them (input columns: [driver_id, stars]): Syntax"
                + " error at end of input"),
        row(
            "missingEventTimestamp",
            DataErrors.missingEventTimestamp("datetime", List.of("driver_id", "rating")),
            3,
            "batch source: event timestamp column 'datetime' is missing (columns: [driver_id,"
                + " rating]); set event_timestamp_column or field_mapping"),
        row(
            "missingStoredColumn",
            DataErrors.missingStoredColumn(
                "t", "data/offline/t", "rating", "float", List.of("driver_id bigint")),
            3,
            "table t: the existing batch source at data/offline/t has no column 'rating' (found"
                + " type: none, expected float; its columns: driver_id bigint). It was written"
                + " under another spec: ingest into a new path, or migrate it"),
        row(
            "missingBigQueryColumn",
            DataErrors.missingBigQueryColumn("t", "rating", "float"),
            3,
            "table t: the existing BigQuery table has no column 'rating' (found type: none,"
                + " expected float); ingest into a new table, or add the column in BigQuery"),
        row(
            "tooManyInvalidRows",
            DataErrors.tooManyInvalidRows("t", 3, 8, 0.1, "data/offline/t/_quarantine/run=r1"),
            3,
            "table t: 3 of 8 rows are invalid (0.3750), more than the allowed 0.1000; nothing was"
                + " written to the table. The invalid rows and their reasons are at"
                + " data/offline/t/_quarantine/run=r1; fix them, or raise --max-invalid-fraction"
                + " (validation.max_invalid_fraction)"),
        // ---- exit 4
        row(
            "onlineStoreDown",
            StoreErrors.onlineStoreDown(
                store.describe(), "writing", 5, new RuntimeException("Connection refused")),
            4,
            "online store redis cache.internal:6380 is unreachable: writing failed 5 times, last"
                + " with: Connection refused. Check that the store is running and online_store in"
                + " the config points to it; a re-run is safe (writes are idempotent)"),
        row(
            "registryDown",
            StoreErrors.registryDown("listing gs://b/registry/tables", io),
            4,
            "registry: listing gs://b/registry/tables failed: Connection refused"),
        row(
            "pathUnreachable",
            StoreErrors.pathUnreachable("--entities", "gs://b/entities", io),
            4,
            "--entities gs://b/entities: Connection refused"),
        row(
            "withoutTrace",
            StoreErrors.withoutTrace(
                StoreErrors.registryDown("listing gs://b/registry/tables", io)),
            4,
            "registry: listing gs://b/registry/tables failed: Connection refused"),
        row(
            "batchSourceMissing",
            StoreErrors.batchSourceMissing("data/offline/t", "parquet"),
            4,
            "batch source data/offline/t (parquet) does not exist: nothing has been ingested into"
                + " it yet; run ingest first"),
        row(
            "batchSourceFailed",
            StoreErrors.batchSourceFailed("gs://b/offline/t", "list it", io),
            4,
            "batch source gs://b/offline/t: cannot list it: Connection refused"),
        row(
            "streamLogFailed",
            StoreErrors.streamLogFailed("gs://b/offline/t", 7, io),
            4,
            "offline log gs://b/offline/t: cannot append batch 7: Connection refused"),
        row(
            "kafkaUnreachable",
            StoreErrors.kafkaUnreachable(
                "t",
                "localhost:9092",
                "drivers",
                "no answer within 15000 ms (stream_source.options.default.api.timeout.ms)"),
            4,
            "stream source of table t: Kafka at bootstrap servers localhost:9092 (topic drivers)"
                + " is unreachable: no answer within 15000 ms"
                + " (stream_source.options.default.api.timeout.ms). Check that the brokers are"
                + " running and reachable from the driver, and that the table's"
                + " stream_source.bootstrap_servers names them"),
        row(
            "kinesisUnreachable",
            StoreErrors.kinesisUnreachable(
                "t", "drivers", "http://localhost:4566", "us-east-1", "Connection refused"),
            4,
            "stream source of table t: Kinesis stream drivers at endpoint http://localhost:4566"
                + " (region us-east-1) is unreachable: Connection refused. Check that the endpoint"
                + " is reachable from the driver, and the table's stream_source.endpoint and"
                + " region"));
  }

  @ParameterizedTest(name = "{0}: {3}")
  @MethodSource("messages")
  void messageAndExitCode(String method, FeatureIngestException e, int exitCode, String message) {
    assertThat(e.getMessage()).isEqualTo(message);
    assertThat(e.exitCode()).isEqualTo(exitCode);
    assertThat(e.getMessage()).as("one line").doesNotContain("\n");
  }

  @Test
  void storeFailuresKeepTheirCause() {
    IOException io = new IOException("Connection refused");
    RuntimeException last = new RuntimeException("timeout");
    assertThat(StoreErrors.registryDown("reading", io)).hasCause(io);
    assertThat(StoreErrors.pathUnreachable("--entities", "x", io)).hasCause(io);
    assertThat(StoreErrors.onlineStoreDown("sqlite x.db", "reading", 3, last)).hasCause(last);
    assertThat(StoreErrors.batchSourceFailed("gs://b/t", "open it", io)).hasCause(io);
    assertThat(StoreErrors.streamLogFailed("gs://b/t", 1, io)).hasCause(io);
  }

  /** Retry's copy for a Spark task: the message word for word, no cause, no frames (issue 22). */
  @Test
  void theTaskCopyHasNeitherCauseNorFrames() {
    StoreUnavailableException full =
        StoreErrors.onlineStoreDown("sqlite x.db", "reading", 3, new RuntimeException("100%"));
    StoreUnavailableException bare = StoreErrors.withoutTrace(full);
    assertThat(bare).hasMessage(full.getMessage()).hasNoCause();
    assertThat(bare.getStackTrace()).isEmpty();
    assertThat(bare.exitCode()).isEqualTo(4);
  }

  @Test
  void theOldHelpersAreTheFactories() {
    assertThat(ConfigException.at("p", "a number", "x"))
        .hasMessage(ConfigErrors.expected("p", "a number", "x").getMessage());
    assertThat(DataContractException.columnType("t", "c", "string", "int", "fix"))
        .hasMessage(DataErrors.columnType("t", "c", "string", "int", "fix").getMessage());
  }

  /** DESIGN.md: secrets are never printed. The store's errors name endpoints and keys only. */
  @Test
  void storeMessagesNeverShowThePassword() {
    RedisStoreConfig store = redis(PASSWORD, false, List.of());
    RedisStoreConfig cluster = redis(PASSWORD, true, List.of("10.0.0.1:7000"));
    // Replies that echo the secret (a proxy, a future server) are masked too.
    List<String> messages =
        List.of(
            store.describe(),
            cluster.describe(),
            store.toString(),
            ConfigErrors.credentialsRefused(store, "WRONGPASS for " + PASSWORD).getMessage(),
            ConfigErrors.credentialsRefused(cluster, "NOAUTH").getMessage(),
            ConfigErrors.tlsHandshakeFailed(store, "handshake with " + PASSWORD).getMessage(),
            StoreErrors.onlineStoreDown(
                    store.describe(), "connecting", 5, new RuntimeException("refused"))
                .getMessage(),
            failure(
                () ->
                    new RedisStoreConfig(
                        "h",
                        0,
                        List.of(),
                        false,
                        Optional.empty(),
                        Optional.of(PASSWORD),
                        false,
                        Optional.empty(),
                        true,
                        0,
                        5000,
                        1000,
                        5,
                        "")),
            failure(
                () ->
                    new RedisStoreConfig(
                        "h",
                        6379,
                        List.of(),
                        false,
                        Optional.empty(),
                        Optional.of(PASSWORD),
                        false,
                        Optional.of("ca.pem"),
                        true,
                        0,
                        5000,
                        1000,
                        5,
                        "")),
            failure(
                () ->
                    new RedisStoreConfig(
                        "",
                        6379,
                        List.of(),
                        false,
                        Optional.empty(),
                        Optional.of(PASSWORD),
                        false,
                        Optional.empty(),
                        true,
                        0,
                        5000,
                        1000,
                        5,
                        "")),
            failure(
                () ->
                    new RedisStoreConfig(
                        "h",
                        6379,
                        List.of(),
                        false,
                        Optional.empty(),
                        Optional.of(PASSWORD),
                        false,
                        Optional.empty(),
                        true,
                        0,
                        5000,
                        0,
                        5,
                        "")));
    assertThat(messages).hasSize(11).allSatisfy(m -> assertThat(m).doesNotContain(PASSWORD));
    assertThat(messages.get(3)).contains("***");
  }

  private static String failure(Runnable r) {
    try {
      r.run();
    } catch (ConfigException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected a ConfigException");
  }

  @Test
  void everyFactoryMethodHasARow() {
    Set<String> tested =
        messages().map(a -> (String) a.get()[0]).collect(Collectors.toCollection(TreeSet::new));
    assertThat(tested).isEqualTo(factoryMethods());
  }

  /** docs/errors.md lists every factory method, so the table of messages stays complete. */
  @Test
  void docsListEveryFactoryMethod() throws IOException {
    String docs =
        Files.readString(new File(SpecParserTest.projectDir(), "docs/errors.md").toPath());
    assertThat(factoryMethods()).allSatisfy(m -> assertThat(docs).contains("`" + m + "("));
  }

  private static Set<String> factoryMethods() {
    return Stream.of(ConfigErrors.class, SourceErrors.class, DataErrors.class, StoreErrors.class)
        .flatMap(c -> Arrays.stream(c.getDeclaredMethods()))
        .filter(m -> Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers()))
        .map(Method::getName)
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
