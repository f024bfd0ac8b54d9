package io.featureingest.testing;

import org.apache.spark.sql.SparkSession;

/**
 * The one local SparkSession of a test run: local[2], UI off, few shuffle partitions, UTC, Delta
 * enabled. Tests share it; it stops when the JVM exits.
 */
public final class TestSpark {
  private static SparkSession spark;

  private TestSpark() {}

  public static synchronized SparkSession get() {
    // A job run through cli.Main stops the session it used (getOrCreate gave it ours): start anew.
    if (spark == null || spark.sparkContext().isStopped()) {
      spark =
          SparkSession.builder()
              .master("local[2]")
              .appName("feature-ingest-tests")
              .config("spark.ui.enabled", "false")
              .config("spark.sql.shuffle.partitions", "4")
              .config("spark.default.parallelism", "4")
              .config("spark.sql.session.timeZone", "UTC")
              .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
              .config(
                  "spark.sql.catalog.spark_catalog",
                  "org.apache.spark.sql.delta.catalog.DeltaCatalog")
              .config("spark.databricks.delta.snapshotPartitions", "2")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .config("spark.driver.host", "127.0.0.1")
              .getOrCreate();
      spark.sparkContext().setLogLevel("WARN");
    }
    return spark;
  }
}
