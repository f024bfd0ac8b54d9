package io.featureingest.join;

import static io.featureingest.join.AsOfGroup.BUCKET;
import static io.featureingest.join.AsOfGroup.ENTITY;
import static io.featureingest.join.AsOfGroup.KIND;
import static io.featureingest.join.AsOfGroup.TS;
import static io.featureingest.join.AsOfGroup.key;
import static io.featureingest.join.AsOfGroup.value;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.ceil;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

/**
 * Spreads a hot entity key over several tasks. The as-of stream is partitioned by (key, bucket); an
 * ordinary key has one bucket, 0. A hot key (more estimated rows than {@code skewRowsPerBucket})
 * gets its time range cut into buckets of about that many rows, and each of its buckets gets one
 * extra "carry" row, sorted first, holding per table the latest feature row of the key's earlier
 * buckets: exactly what the bucket would have inherited had the key been sorted whole. The carry
 * comes from a per-(key, bucket) max over the hot keys' feature rows, a few rows per bucket, so no
 * step sees a hot key's rows in one task.
 *
 * <p>Hot keys are estimated from a sample chosen by a hash of (key, time, kind), not by a random
 * draw, so every use of the estimate within a run sees the same buckets even if Spark recomputes
 * it. The estimate only decides partitioning: any bucket assignment that grows with time gives the
 * same join result.
 */
final class SkewBuckets {
  private static final String HOT = "_fi_hot";
  private static final String LO = "_fi_lo";
  private static final String WIDTH = "_fi_width";
  private static final String BUCKETS = "_fi_buckets";
  private static final long HASH_RANGE = 1_000_000L;

  private SkewBuckets() {}

  /**
   * The as-of stream with a {@code _fi_bucket} column: entity rows, feature rows, and one carry row
   * per hot (key, bucket) that has an earlier feature row. {@code keyTimes} holds the key and time
   * of every row (entity and feature), for the estimate.
   */
  static Dataset<Row> withBuckets(
      Dataset<Row> entityRows,
      Dataset<Row> featureRows,
      Dataset<Row> keyTimes,
      int tableCount,
      JoinOptions options) {
    int keyCount = keyTimes.columns().length - 2;
    List<Column> keys = new ArrayList<>();
    for (int j = 0; j < keyCount; j++) {
      keys.add(col(key(j)));
    }
    Dataset<Row> hot = hotKeys(keyTimes, keys, options);

    List<Column> streamColumns = new ArrayList<>(keys);
    streamColumns.addAll(List.of(col(TS), col(KIND), col(ENTITY)));
    for (int i = 0; i < tableCount; i++) {
      streamColumns.add(col(value(i)));
    }
    streamColumns.add(col(BUCKET));
    Dataset<Row> taggedFeatures = tagged(featureRows, hot, keyCount);
    return tagged(entityRows, hot, keyCount)
        .select(streamColumns.toArray(Column[]::new))
        .unionByName(taggedFeatures.select(streamColumns.toArray(Column[]::new)))
        .unionByName(carries(taggedFeatures, hot, keys, tableCount, entityRows));
  }

  /** Keys whose estimated row count passes the threshold, with their bucket layout. */
  private static Dataset<Row> hotKeys(Dataset<Row> keyTimes, List<Column> keys, JoinOptions o) {
    double fraction = o.skewSampleFraction();
    Dataset<Row> sample = keyTimes;
    if (fraction < 1) {
      List<Column> hashed = new ArrayList<>(keys);
      hashed.add(col(TS));
      hashed.add(col(KIND));
      sample =
          keyTimes.where(
              pmod(xxhash64(hashed.toArray(Column[]::new)), lit(HASH_RANGE))
                  .lt(lit((long) Math.ceil(fraction * HASH_RANGE))));
    }
    Column estimated = col("_fi_n").divide(lit(fraction));
    Column buckets =
        least(lit(o.maxBucketsPerKey()), ceil(estimated.divide(o.skewRowsPerBucket())))
            .cast(DataTypes.IntegerType);
    List<Column> hotColumns = new ArrayList<>();
    for (int j = 0; j < keys.size(); j++) {
      hotColumns.add(col(key(j)).as(hotKey(j)));
    }
    hotColumns.add(col(LO));
    hotColumns.add(buckets.as(BUCKETS));
    hotColumns.add(
        greatest(lit(1L), ceil(col("_fi_hi").minus(col(LO)).plus(1).divide(buckets)))
            .cast(DataTypes.LongType)
            .as(WIDTH));
    return sample
        .where(col(TS).isNotNull().and(allNotNull(keys)))
        .groupBy(keys.toArray(Column[]::new))
        .agg(count(lit(1)).as("_fi_n"), min(col(TS)).as(LO), max(col(TS)).as("_fi_hi"))
        .where(estimated.gt(lit(o.skewRowsPerBucket())))
        .select(hotColumns.toArray(Column[]::new));
  }

  /** Rows with their bucket: 0 for an ordinary key, the time bucket for a hot one. */
  private static Dataset<Row> tagged(Dataset<Row> rows, Dataset<Row> hot, int keyCount) {
    Column match = lit(true);
    for (int j = 0; j < keyCount; j++) {
      match = match.and(col(key(j)).equalTo(col(hotKey(j))));
    }
    Column bucket =
        when(col(BUCKETS).isNull().or(col(TS).isNull()), lit(0))
            .otherwise(
                least(
                    col(BUCKETS).minus(1),
                    greatest(lit(0), floor(col(TS).minus(col(LO)).divide(col(WIDTH))))))
            .cast(DataTypes.IntegerType);
    return rows.join(broadcast(hot), match, "left")
        .withColumn(BUCKET, bucket)
        .withColumn(HOT, col(BUCKETS).isNotNull());
  }

  /**
   * Per hot (key, bucket): for each table, the greatest version among the key's feature rows in
   * earlier buckets; struct order is (event time, created time, features), the join's own order.
   */
  private static Dataset<Row> carries(
      Dataset<Row> taggedFeatures,
      Dataset<Row> hot,
      List<Column> keys,
      int tableCount,
      Dataset<Row> entityRows) {
    List<Column> groupBy = new ArrayList<>(keys);
    groupBy.add(col(BUCKET));
    List<Column> lastOfBucket = new ArrayList<>();
    for (int i = 0; i < tableCount; i++) {
      lastOfBucket.add(max(col(value(i))).as(value(i)));
    }
    Dataset<Row> perBucket =
        taggedFeatures
            .where(col(HOT))
            .groupBy(groupBy.toArray(Column[]::new))
            .agg(lastOfBucket.get(0), lastOfBucket.subList(1, tableCount).toArray(Column[]::new));

    List<Column> grid = new ArrayList<>();
    for (int j = 0; j < keys.size(); j++) {
      grid.add(col(hotKey(j)).as(key(j)));
    }
    grid.add(explode(sequence(lit(0), col(BUCKETS).minus(1))).as(BUCKET));
    List<String> joinOn = new ArrayList<>();
    for (int j = 0; j < keys.size(); j++) {
      joinOn.add(key(j));
    }
    joinOn.add(BUCKET);

    var before =
        Window.partitionBy(keys.toArray(Column[]::new))
            .orderBy(col(BUCKET))
            .rowsBetween(Window.unboundedPreceding(), -1);
    List<Column> out = new ArrayList<>(keys);
    out.add(lit(null).cast(DataTypes.LongType).as(TS));
    out.add(lit(0).as(KIND));
    out.add(lit(null).cast(entityRows.schema().apply(ENTITY).dataType()).as(ENTITY));
    Column any = lit(false);
    for (int i = 0; i < tableCount; i++) {
      out.add(max(col(value(i))).over(before).as(value(i)));
      any = any.or(col(value(i)).isNotNull());
    }
    out.add(col(BUCKET));
    return hot.select(grid.toArray(Column[]::new))
        .join(perBucket, scala.collection.JavaConverters.asScalaBuffer(joinOn).toSeq(), "left")
        .select(out.toArray(Column[]::new))
        .where(any);
  }

  private static String hotKey(int j) {
    return "_fi_h" + j;
  }

  private static Column allNotNull(List<Column> keys) {
    Column c = lit(true);
    for (Column k : keys) {
      c = c.and(k.isNotNull());
    }
    return c;
  }
}
