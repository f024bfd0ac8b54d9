package io.featureingest.join;

import io.featureingest.spec.ConfigErrors;

/**
 * How a point-in-time join runs.
 *
 * @param entityTimestampColumn the entity data's timestamp column ({@code event_timestamp})
 * @param skewRowsPerBucket an entity key with more (estimated) rows than this is hot: its timeline
 *     is split into time buckets of about this many rows, each sorted by its own task
 * @param skewSampleFraction the fraction of rows hashed into the hot-key estimate
 * @param maxBucketsPerKey the most buckets one hot key is split into
 */
public record JoinOptions(
    String entityTimestampColumn,
    long skewRowsPerBucket,
    double skewSampleFraction,
    int maxBucketsPerKey) {

  public static final String DEFAULT_TIMESTAMP_COLUMN = "event_timestamp";

  public JoinOptions {
    if (entityTimestampColumn == null || entityTimestampColumn.isBlank()) {
      throw ConfigErrors.mustNotBeEmpty("retrieve.entity_timestamp_column");
    }
    if (skewRowsPerBucket < 1) {
      throw ConfigErrors.notPositive("retrieve.skew.rows_per_bucket", skewRowsPerBucket);
    }
    if (!(skewSampleFraction > 0 && skewSampleFraction <= 1)) {
      throw ConfigErrors.expected(
          "retrieve.skew.sample_fraction", "a fraction in (0, 1]", skewSampleFraction);
    }
    if (maxBucketsPerKey < 1) {
      throw ConfigErrors.notPositive("retrieve.skew.max_buckets_per_key", maxBucketsPerKey);
    }
  }

  /** event_timestamp; keys over 100k rows split, estimated from a 1% sample; 1024 buckets. */
  public static JoinOptions defaults() {
    return new JoinOptions(DEFAULT_TIMESTAMP_COLUMN, 100_000, 0.01, 1024);
  }

  public JoinOptions withEntityTimestampColumn(String column) {
    return new JoinOptions(column, skewRowsPerBucket, skewSampleFraction, maxBucketsPerKey);
  }

  public JoinOptions withSkew(long rowsPerBucket, double sampleFraction, int maxBuckets) {
    return new JoinOptions(entityTimestampColumn, rowsPerBucket, sampleFraction, maxBuckets);
  }
}
