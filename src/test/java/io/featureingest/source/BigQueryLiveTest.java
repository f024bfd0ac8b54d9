package io.featureingest.source;

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
}
