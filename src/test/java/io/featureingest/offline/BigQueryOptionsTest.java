package io.featureingest.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.featureingest.spec.BigQuerySource;
import io.featureingest.spec.ConfigException;
import io.featureingest.spec.SpecParser;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The spec-to-connector mapping, checked without any network (BigQuery is unreachable here). */
class BigQueryOptionsTest {
  static BigQuerySource source(String body) {
    return (BigQuerySource)
        SpecParser.parseTable(
                "t",
                ConfigFactory.parseString(
                    "entities = [{ name = driver_id, type = INT64 }], features = [{ name = f, type = FLOAT }],"
                        + " batch_source { type = bigquery, event_timestamp_column = event_timestamp, "
                        + body
                        + " }"))
            .batchSource();
  }

  @Test
  void tableRefWithColonBecomesTheConnectorsDottedForm() {
    Map<String, String> options =
        BigQueryOptions.read(
            source("table_ref = \"gcp_project:bq_dataset.bq_table\""),
            Optional.empty(),
            Optional.empty());
    assertThat(options).containsExactly(Map.entry("table", "gcp_project.bq_dataset.bq_table"));
    assertThat(source("table_ref = \"example.com:proj:ds.tbl\"").connectorTable())
        .contains("example.com:proj.ds.tbl");
    assertThat(source("table_ref = \"ds.tbl\"").connectorTable()).contains("ds.tbl");
  }

  @Test
  void everyFieldIsMapped() {
    Map<String, String> options =
        BigQueryOptions.read(
            source(
                """
        table_ref = "p.d.v", parent_project = billing, credentials_file = "/secrets/key.json",
        materialization_dataset = tmp, options { maxParallelism = "8" }
        """),
            Optional.empty(),
            Optional.empty());
    assertThat(options)
        .containsEntry("table", "p.d.v")
        .containsEntry("parentProject", "billing")
        .containsEntry("credentialsFile", "/secrets/key.json")
        .containsEntry("viewsEnabled", "true")
        .containsEntry("materializationDataset", "tmp")
        .containsEntry("maxParallelism", "8");
    assertThat(BigQueryOptions.masked(options)).containsEntry("credentialsFile", "***");
  }

  @Test
  void aQueryNeedsAMaterializationDataset() {
    Map<String, String> options =
        BigQueryOptions.read(
            source("query = \"SELECT * FROM d.t\", materialization_dataset = scratch"),
            Optional.empty(),
            Optional.empty());
    assertThat(options)
        .containsEntry("query", "SELECT * FROM d.t")
        .containsEntry("viewsEnabled", "true")
        .containsEntry("materializationDataset", "scratch")
        .doesNotContainKey("table");
    assertThatThrownBy(
            () ->
                BigQueryOptions.read(
                    source("query = \"SELECT 1\""), Optional.empty(), Optional.empty()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("needs materialization_dataset");
  }

  @Test
  void theWindowIsInclusiveStartExclusiveEndInUtc() {
    Instant start = Instant.parse("2019-01-01T00:00:00Z");
    Instant end = Instant.parse("2019-01-02T01:30:00.123456Z");
    assertThat(BigQueryOptions.windowFilter("datetime", Optional.of(start), Optional.of(end)))
        .contains(
            "`datetime` >= TIMESTAMP '2019-01-01 00:00:00.000000+00'"
                + " AND `datetime` < TIMESTAMP '2019-01-02 01:30:00.123456+00'");
    assertThat(BigQueryOptions.windowFilter("ts", Optional.empty(), Optional.of(end)))
        .contains("`ts` < TIMESTAMP '2019-01-02 01:30:00.123456+00'");
    assertThat(BigQueryOptions.windowFilter("ts", Optional.of(start), Optional.empty()))
        .contains("`ts` >= TIMESTAMP '2019-01-01 00:00:00.000000+00'");
    assertThat(BigQueryOptions.windowFilter("ts", Optional.empty(), Optional.empty())).isEmpty();
  }

  @Test
  void theWindowGoesIntoTheReadOptions() {
    Map<String, String> options =
        BigQueryOptions.read(
            source("table_ref = \"d.t\""),
            Optional.of(Instant.parse("2020-03-15T07:47:52Z")),
            Optional.of(Instant.parse("2020-03-16T00:00:00Z")));
    assertThat(options.get("filter"))
        .isEqualTo(
            "`event_timestamp` >= TIMESTAMP '2020-03-15 07:47:52.000000+00'"
                + " AND `event_timestamp` < TIMESTAMP '2020-03-16 00:00:00.000000+00'");
  }

  @Test
  void directWriteIsTheDefaultAndPartitionsByDayOnTheEventTime() {
    Map<String, String> options =
        BigQueryOptions.write(
            source("table_ref = \"p:d.t\", parent_project = billing"),
            BigQueryOptions.WriteMethod.DIRECT,
            Optional.empty());
    assertThat(options)
        .containsEntry("table", "p.d.t")
        .containsEntry("writeMethod", "direct")
        .containsEntry("partitionField", "event_timestamp")
        .containsEntry("partitionType", "DAY")
        .containsEntry("createDisposition", "CREATE_IF_NEEDED")
        .containsEntry("parentProject", "billing")
        .doesNotContainKey("temporaryGcsBucket");
  }

  @Test
  void indirectWriteNeedsABucket() {
    Map<String, String> options =
        BigQueryOptions.write(
            source("table_ref = \"d.t\""),
            BigQueryOptions.WriteMethod.INDIRECT,
            Optional.of("staging-bucket"));
    assertThat(options)
        .containsEntry("writeMethod", "indirect")
        .containsEntry("temporaryGcsBucket", "staging-bucket");
    assertThatThrownBy(
            () ->
                BigQueryOptions.write(
                    source("table_ref = \"d.t\""),
                    BigQueryOptions.WriteMethod.INDIRECT,
                    Optional.empty()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("bigquery.temporary_gcs_bucket");
  }

  @Test
  void cannotWriteIntoAQuery() {
    assertThatThrownBy(
            () ->
                BigQueryOptions.write(
                    source("query = \"SELECT 1\", materialization_dataset = x"),
                    BigQueryOptions.WriteMethod.DIRECT,
                    Optional.empty()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("give table_ref instead");
  }

  @Test
  void malformedTableRefs() {
    for (String bad :
        new String[] {"just_a_table", "p:d:t", "a.b.c.d", "d.", ":d.t", "p:d.t extra"}) {
      assertThatThrownBy(() -> source("table_ref = \"" + bad + "\""))
          .as(bad)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("table_ref '" + bad + "' is malformed");
    }
    for (String good :
        new String[] {
          "d.t", "p.d.t", "p:d.t", "my-project:my_dataset.my_table", "example.com:p:d.t"
        }) {
      assertThat(source("table_ref = \"" + good + "\"").tableRef()).contains(good);
    }
  }

  @Test
  void projectDefaultsFromTheConfigServeRetrieveTables() {
    BigQueryOptions.Defaults defaults =
        BigQueryOptions.Defaults.from(
            ConfigFactory.parseString(
                """
        bigquery { parent_project = billing, credentials_file = "/k.json", write_method = indirect,
          temporary_gcs_bucket = staging }
        """));
    assertThat(BigQueryOptions.readTable("p:ds.entities", defaults))
        .containsExactly(
            Map.entry("parentProject", "billing"),
            Map.entry("credentialsFile", "/k.json"),
            Map.entry("table", "p.ds.entities"));
    assertThat(BigQueryOptions.writeTable("ds.training", defaults))
        .containsEntry("table", "ds.training")
        .containsEntry("writeMethod", "indirect")
        .containsEntry("temporaryGcsBucket", "staging")
        .containsEntry("createDisposition", "CREATE_IF_NEEDED");
    BigQueryOptions.Defaults none = BigQueryOptions.Defaults.from(ConfigFactory.empty());
    assertThat(none.writeMethod()).isEqualTo(BigQueryOptions.WriteMethod.DIRECT);
    assertThat(BigQueryOptions.writeTable("ds.t", none))
        .containsEntry("writeMethod", "direct")
        .doesNotContainKeys("parentProject", "temporaryGcsBucket");
    assertThatThrownBy(
            () ->
                BigQueryOptions.Defaults.from(
                    ConfigFactory.parseString("bigquery.write_method = streaming")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("bigquery.write_method: expected direct or indirect, got 'streaming'");
    assertThatThrownBy(() -> BigQueryOptions.readTable("no_dataset", none))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'no_dataset' is malformed");
  }
}
