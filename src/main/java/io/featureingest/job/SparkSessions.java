package io.featureingest.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** Builds the session every job runs in: UTC, Delta enabled, the config's {@code spark} block. */
public final class SparkSessions {
  private SparkSessions() {}

  public static SparkSession create(Config config, RunSummary summary) {
    SparkConf conf = new SparkConf(); // picks up what spark-submit set
    SparkSession.Builder builder =
        SparkSession.builder().appName("feature-ingest " + summary.toMap("").get("command"));
    if (!conf.contains("spark.master")) {
      builder.master("local[*]");
    }
    builder.config("spark.sql.session.timeZone", "UTC");
    if (!conf.contains("spark.sql.extensions")) {
      builder.config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
    }
    if (!conf.contains("spark.sql.catalog.spark_catalog")) {
      builder.config(
          "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    }
    if (config.hasPath("spark")) {
      for (Map.Entry<String, ConfigValue> e : config.getConfig("spark").entrySet()) {
        builder.config("spark." + e.getKey(), String.valueOf(e.getValue().unwrapped()));
      }
    }
    SparkSession spark = builder.getOrCreate();
    // Rule 1 holds even when a caller's session said otherwise.
    spark.conf().set("spark.sql.session.timeZone", "UTC");
    return spark;
  }
}
