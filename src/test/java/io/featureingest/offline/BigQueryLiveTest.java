package io.featureingest.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.featureingest.testing.TestSpark;
import java.io.File;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Reads a public BigQuery table through the real connector. Runs only with credentials: set
 * GOOGLE_CLOUD_PROJECT (the billing project) and GOOGLE_APPLICATION_CREDENTIALS (a key file).
 * Without them it is skipped before anything is called, so CI never reaches a Google address (not
 * even the metadata server the connector would fall back to).
 */
class BigQueryLiveTest {
  @Test
  void readsAPublicTableWithAPushedDownWindow() {
    String project = System.getenv("GOOGLE_CLOUD_PROJECT");
    String key = System.getenv("GOOGLE_APPLICATION_CREDENTIALS");
    assumeTrue(
        project != null && !project.isBlank() && key != null && new File(key).isFile(),
        "BigQuery live test skipped: set GOOGLE_CLOUD_PROJECT and GOOGLE_APPLICATION_CREDENTIALS to run it");
    var source =
        BigQueryOptionsTest.source(
            "table_ref = \"bigquery-public-data.samples.shakespeare\", parent_project = \""
                + project
                + "\"");
    long rows =
        BigQueryReader.read(TestSpark.get(), source, Optional.empty(), Optional.empty()).count();
    assertThat(rows).isPositive();
  }

  @Test
  void ingestsIntoANewTableAndReadsTheWindowBack() {
    String project = System.getenv("GOOGLE_CLOUD_PROJECT");
    String key = System.getenv("GOOGLE_APPLICATION_CREDENTIALS");
    String dataset = System.getenv("FEATURE_INGEST_BQ_DATASET");
    assumeTrue(
        project != null && key != null && new File(key).isFile() && dataset != null,
        "BigQuery ingest live test skipped: set GOOGLE_CLOUD_PROJECT, GOOGLE_APPLICATION_CREDENTIALS"
            + " and FEATURE_INGEST_BQ_DATASET (a dataset the credentials may create tables in)");
    String ref = project + ":" + dataset + ".fi_live_" + System.currentTimeMillis();
    var table =
        BigQueryStoreTest.table(
            "table_ref = \"" + ref + "\", parent_project = \"" + project + "\"");
    var spark = TestSpark.get();
    var input =
        spark.sql(
            "SELECT CAST(id AS BIGINT) AS driver_id, CAST(4.5 AS FLOAT) AS rating,"
                + " CAST(id AS INT) AS trips, array('a') AS tags,"
                + " TIMESTAMP '2024-01-01 00:00:00' + make_interval(0, 0, 0, 0, CAST(id AS INT)) AS event_timestamp"
                + " FROM range(3)");
    var store = new BigQueryStore(table, com.typesafe.config.ConfigFactory.empty());
    var result =
        io.featureingest.ingest.Ingestion.ingest(
            spark,
            table,
            input,
            io.featureingest.ingest.IngestOptions.defaults()
                .withQuarantinePath("/tmp/fi-bq-quarantine"),
            store);
    assertThat(result.rowsWritten()).isEqualTo(3);
    long inWindow =
        store
            .read(
                spark,
                java.time.Instant.parse("2024-01-01T01:00:00Z"),
                java.time.Instant.parse("2024-01-01T03:00:00Z"))
            .count();
    assertThat(inWindow).isEqualTo(2); // 01:00 and 02:00; 00:00 is before the window
  }
}
