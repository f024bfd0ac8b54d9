package io.featureingest.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecParserTest {
  private static final String BATCH =
      "batch_source { type = file, format = parquet, path = \"/tmp/x\", event_timestamp_column = ts }";

  private static FeatureTable table(String body) {
    return SpecParser.parseTable("t", ConfigFactory.parseString(body));
  }

  private static String failure(String body) {
    try {
      table(body);
    } catch (ConfigException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected a ConfigException for: " + body);
  }

  @Test
  void parsesTheExampleRepository() {
    Config config = ConfigLoader.load(new File(projectDir(), "conf/feature_repo.conf"), List.of());
    FeatureRepo repo = SpecParser.parseRepo(config);
    assertThat(repo.project()).isEqualTo("driver_ranking");
    assertThat(repo.onlineStore()).isInstanceOf(SqliteStoreConfig.class);
    FeatureTable trips = repo.table("driver_trips").orElseThrow();
    assertThat(trips.entities())
        .containsExactly(new Entity("driver_id", ValueType.INT64, "Driver of the trip"));
    assertThat(trips.featureNames())
        .containsExactly("average_daily_rides", "driver_rating", "maximum_daily_rides");
    assertThat(trips.feature("maximum_daily_rides").orElseThrow().type())
        .isEqualTo(ValueType.INT64);
    assertThat(trips.maxAge()).contains(Duration.ofDays(2));
    assertThat(trips.labels()).containsEntry("team", "rides");
    FileSource batch = (FileSource) trips.batchSource();
    assertThat(batch.format()).isEqualTo(FileFormat.PARQUET);
    assertThat(batch.columns().eventTimestampColumn()).isEqualTo("datetime");
    assertThat(batch.columns().createdTimestampColumn()).contains("created");
    assertThat(batch.columns().datePartitionColumn()).contains("date");
    KafkaSource stream = (KafkaSource) trips.streamSource().orElseThrow();
    assertThat(stream.topic()).isEqualTo("driver_trips");
    assertThat(((AvroFormat) stream.format()).schemaFile())
        .contains("conf/schemas/driver_trips.avsc");
    assertThat(
            repo.table("customer_profile")
                .orElseThrow()
                .feature("preferred_vehicles")
                .orElseThrow()
                .type())
        .isEqualTo(ValueType.STRING_LIST);
    assertThat(repo.featureLists().get("driver_ranking_v1")).hasSize(2);
  }

  @Test
  void specDocumentReadsBackToAnEqualTable() {
    Config config = ConfigLoader.load(new File(projectDir(), "conf/feature_repo.conf"), List.of());
    for (FeatureTable t : SpecParser.parseRepo(config).tables().values()) {
      Config doc = ConfigFactory.parseMap(SpecDocument.of(t));
      assertThat(SpecParser.parseTable(t.name(), doc)).isEqualTo(t);
    }
    FeatureTable withEverything =
        table(
            """
        entities = [ { name = a, type = STRING }, { name = b, type = INT32 } ]
        features = [ { name = f, type = BYTES_LIST, labels { pii = "no" } } ]
        max_age = 90m
        batch_source { type = bigquery, query = "SELECT * FROM d.t", event_timestamp_column = ts,
          parent_project = p, field_mapping { f = "upper(g)" } }
        stream_source { type = kinesis, stream_name = s, region = us-east-1, endpoint = "http://127.0.0.1:4567",
          format { type = proto, descriptor_file = "x.desc", message_name = "a.B" }, event_timestamp_column = ts }
        """);
    assertThat(SpecParser.parseTable("t", ConfigFactory.parseMap(SpecDocument.of(withEverything))))
        .isEqualTo(withEverything);
  }

  @Test
  void everyValueTypeParsesIncludingLists() {
    for (ValueType type : ValueType.values()) {
      FeatureTable t =
          table(
              "entities = [{name = e, type = STRING}], features = [{name = f, type = "
                  + type.name().toLowerCase()
                  + "}], "
                  + BATCH);
      assertThat(t.features().get(0).type()).isEqualTo(type);
    }
    assertThat(ValueType.INT64_LIST.elementType()).isEqualTo(ValueType.INT64);
  }

  @Test
  void unknownType() {
    assertThat(
            failure(
                "entities = [{name = e, type = INT128}], features = [{name = f, type = FLOAT}], "
                    + BATCH))
        .isEqualTo(
            "feature_tables.t.entities[0].type: expected one of BYTES, STRING, INT32, INT64, DOUBLE, FLOAT,"
                + " BOOL, UNIX_TIMESTAMP, BYTES_LIST, STRING_LIST, INT32_LIST, INT64_LIST, DOUBLE_LIST, FLOAT_LIST,"
                + " BOOL_LIST, UNIX_TIMESTAMP_LIST, got 'INT128'");
  }

  @Test
  void missingBatchSource() {
    assertThat(
            failure(
                "entities = [{name = e, type = STRING}], features = [{name = f, type = FLOAT}]"))
        .startsWith("feature_tables.t.batch_source: required key is missing");
  }

  @Test
  void duplicateFeatureNames() {
    assertThat(
            failure(
                "entities = [{name = e, type = STRING}], features = [{name = f, type = FLOAT},"
                    + " {name = f, type = INT64}], "
                    + BATCH))
        .contains("feature 'f' is listed twice");
  }

  @Test
  void featureNamedLikeAnEntity() {
    assertThat(
            failure(
                "entities = [{name = e, type = STRING}], features = [{name = e, type = FLOAT}], "
                    + BATCH))
        .contains("feature 'e' has the name of an entity");
  }

  @Test
  void noEntities() {
    assertThat(failure("features = [{name = f, type = FLOAT}], " + BATCH))
        .contains("t: no entities");
  }

  @Test
  void listTypedEntity() {
    assertThat(
            failure(
                "entities = [{name = e, type = STRING_LIST}], features = [{name = f, type = FLOAT}], "
                    + BATCH))
        .contains("an entity key must be a scalar type");
  }

  @Test
  void badDuration() {
    assertThat(
            failure(
                "entities = [{name = e, type = STRING}], features = [{name = f, type = FLOAT}],"
                    + " max_age = \"two days\", "
                    + BATCH))
        .isEqualTo(
            "feature_tables.t.max_age: expected a duration such as 2d, 36h or 90m, got 'two days'");
  }

  @Test
  void negativeDuration() {
    assertThat(
            failure(
                "entities = [{name = e, type = STRING}], features = [{name = f, type = FLOAT}],"
                    + " max_age = -1d, "
                    + BATCH))
        .contains("max_age must be positive");
  }

  @Test
  void unknownSourceType() {
    assertThat(
            failure(
                "entities = [{name = e, type = STRING}], features = [{name = f, type = FLOAT}],"
                    + " batch_source { type = csv, path = x, event_timestamp_column = ts }"))
        .isEqualTo("feature_tables.t.batch_source.type: expected file or bigquery, got 'csv'");
  }

  @Test
  void unknownFileFormat() {
    assertThat(
            failure(
                "entities = [{name = e, type = STRING}], features = [{name = f, type = FLOAT}],"
                    + " batch_source { type = file, format = orc, path = x, event_timestamp_column = ts }"))
        .isEqualTo("feature_tables.t.batch_source.format: expected parquet or delta, got 'orc'");
  }

  @Test
  void missingEventTimestampColumn() {
    assertThat(
            failure(
                "entities = [{name = e, type = STRING}], features = [{name = f, type = FLOAT}],"
                    + " batch_source { type = file, format = parquet, path = x }"))
        .isEqualTo("feature_tables.t.batch_source.event_timestamp_column: required key is missing");
  }

  @Test
  void kafkaWithoutTopic() {
    assertThat(
            failure(
                "entities = [{name = e, type = STRING}], features = [{name = f, type = FLOAT}], "
                    + BATCH
                    + ", stream_source { type = kafka, bootstrap_servers = \"localhost:9092\", event_timestamp_column = ts,"
                    + " format { type = avro, schema_json = \"{}\" } }"))
        .isEqualTo("feature_tables.t.stream_source: kafka source: topic is required");
  }

  @Test
  void protoWithoutMessageName() {
    assertThat(
            failure(
                "entities = [{name = e, type = STRING}], features = [{name = f, type = FLOAT}], "
                    + BATCH
                    + ", stream_source { type = kafka, bootstrap_servers = b, topic = t, event_timestamp_column = ts,"
                    + " format { type = proto, descriptor_file = \"x.desc\" } }"))
        .contains("descriptor_file 'x.desc' needs message_name");
  }

  @Test
  void avroWithoutSchema() {
    assertThat(
            failure(
                "entities = [{name = e, type = STRING}], features = [{name = f, type = FLOAT}], "
                    + BATCH
                    + ", stream_source { type = kafka, bootstrap_servers = b, topic = t, event_timestamp_column = ts,"
                    + " format { type = avro } }"))
        .contains("give exactly one of schema_json");
  }

  @Test
  void unknownStreamType() {
    assertThat(
            failure(
                "entities = [{name = e, type = STRING}], features = [{name = f, type = FLOAT}], "
                    + BATCH
                    + ", stream_source { type = pulsar, event_timestamp_column = ts }"))
        .isEqualTo("feature_tables.t.stream_source.type: expected kafka or kinesis, got 'pulsar'");
  }

  @Test
  void unknownKeyIsATypo() {
    assertThat(
            failure(
                "entities = [{name = e, type = STRING}], features = [{name = f, type = FLOAT}],"
                    + " maxage = 2d, "
                    + BATCH))
        .startsWith("feature_tables.t.maxage: unknown key; allowed here:");
  }

  @Test
  void malformedBigQueryTableRef() {
    assertThat(
            failure(
                "entities = [{name = e, type = STRING}], features = [{name = f, type = FLOAT}],"
                    + " batch_source { type = bigquery, table_ref = \"no dots here\", event_timestamp_column = ts }"))
        .contains("bigquery table_ref 'no dots here' is malformed");
  }

  @Test
  void bigQueryNeedsExactlyOneOfTableRefAndQuery() {
    assertThat(
            failure(
                "entities = [{name = e, type = STRING}], features = [{name = f, type = FLOAT}],"
                    + " batch_source { type = bigquery, table_ref = \"p:d.t\", query = \"select 1\", event_timestamp_column = ts }"))
        .contains("give exactly one of table_ref");
  }

  @Test
  void badEntityName() {
    assertThat(
            failure(
                "entities = [{name = \"driver id\", type = STRING}], features = [{name = f, type = FLOAT}], "
                    + BATCH))
        .contains("entity name 'driver id' is not valid");
  }

  @Test
  void entitiesNotAList() {
    assertThat(failure("entities = driver_id, features = [{name = f, type = FLOAT}], " + BATCH))
        .isEqualTo("feature_tables.t.entities: expected a list [ ... ], got 'driver_id'");
  }

  @Test
  void entityChangeIsIncompatible() {
    FeatureTable before =
        table(
            "entities = [{name = e, type = STRING}], features = [{name = f, type = FLOAT}], "
                + BATCH);
    FeatureTable moreFeatures =
        table(
            "entities = [{name = e, type = STRING}], features = [{name = f, type = FLOAT},"
                + " {name = g, type = INT64}], "
                + BATCH);
    FeatureTable retyped =
        table(
            "entities = [{name = e, type = INT64}], features = [{name = f, type = FLOAT}], "
                + BATCH);
    assertThat(before.incompatibilityWith(moreFeatures)).isEmpty();
    assertThat(before.incompatibilityWith(retyped))
        .get()
        .asString()
        .contains("entity 'e' changes type from STRING to INT64")
        .contains("--force");
  }

  @Test
  void redisPasswordNeverPrinted() {
    Config c =
        ConfigFactory.parseString(
            """
        registry.path = r
        online_store { type = redis, host = h, port = 7000, password = "s3cret" }
        """);
    FeatureRepo repo = SpecParser.parseRepo(c);
    assertThat(repo.onlineStore().toString()).doesNotContain("s3cret").contains("***");
    assertThat(ConfigLoader.describeMasked(c)).doesNotContain("s3cret");
  }

  @Test
  void overridesWinOverTheFile() {
    Config config =
        ConfigLoader.load(
            new File(projectDir(), "conf/feature_repo.conf"),
            List.of(
                "online_store.type=redis",
                "online_store.port=6390",
                "registry.path=gs://bucket/registry"));
    FeatureRepo repo = SpecParser.parseRepo(config);
    assertThat(((RedisStoreConfig) repo.onlineStore()).port()).isEqualTo(6390);
    assertThat(repo.registryPath()).isEqualTo("gs://bucket/registry");
  }

  @Test
  void badOverrideAndMissingFile() {
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("novalue")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("expected key=value");
    assertThatThrownBy(() -> ConfigLoader.load(new File("/nonexistent.conf"), List.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("/nonexistent.conf: no such file");
  }

  static File projectDir() {
    return new File(System.getProperty("featureingest.projectDir", "."));
  }
}
