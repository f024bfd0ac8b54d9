package io.featureingest.offline;

import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/** Session settings that a write needs for its own length only, restored afterwards. */
final class SessionSetting {
  private static final String TIMESTAMP_TYPE = "spark.sql.parquet.outputTimestampType";

  private SessionSetting() {}

  /**
   * Runs {@code write} with Parquet timestamps stored as INT64 microseconds (Parquet's
   * TIMESTAMP_MICROS, which Spark, Delta, BigQuery and Trino read) instead of Spark's legacy INT96
   * default, whose per-value conversion made the two timestamp columns the dearest part of a write.
   * Files of both kinds read back as the same timestamps, so a table may hold both.
   */
  static <T> T withMicrosTimestamps(SparkSession spark, Supplier<T> write) {
    return with(spark, TIMESTAMP_TYPE, "TIMESTAMP_MICROS", write);
  }

  /** Runs {@code action} with a session setting, restored afterwards. */
  static <T> T with(SparkSession spark, String key, String value, Supplier<T> action) {
    scala.Option<String> before = spark.conf().getOption(key);
    spark.conf().set(key, value);
    try {
      return action.get();
    } finally {
      if (before.isDefined()) {
        spark.conf().set(key, before.get());
      } else {
        spark.conf().unset(key);
      }
    }
  }
}
