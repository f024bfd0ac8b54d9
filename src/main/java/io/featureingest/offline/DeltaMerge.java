package io.featureingest.offline;

import static org.apache.spark.sql.functions.col;

import io.delta.tables.DeltaTable;
import io.featureingest.rows.Projection;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.SourceColumns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * Delta dedup ({@code --dedup}): one row per (entity key, event timestamp) remains, the one with
 * the greatest created timestamp. A stored row is replaced only by a newer created timestamp with
 * different values, so ingesting the same input twice leaves the table as it was.
 */
final class DeltaMerge {
  /** The session setting that lets a Delta MERGE add the source's new columns. */
  private static final String DELTA_AUTO_MERGE = "spark.databricks.delta.schema.autoMerge.enabled";

  private DeltaMerge() {}

  /** Merges rows in the stored layout; returns the rows inserted plus updated. */
  static long merge(SparkSession spark, Dataset<Row> stored, DeltaStore store) {
    FeatureTable table = store.table;
    String path = store.source.path();
    SourceColumns sc = store.source.columns();
    List<String> key = new ArrayList<>(table.entityNames());
    key.add(sc.eventTimestampColumn());
    Dataset<Row> source = withLatestPerKey(stored, key, sc.createdTimestampColumn());
    if (!store.exists(spark)) {
      store.append(source);
      return lastCommitRows(spark, path, "numOutputRows");
    }
    String on =
        key.stream()
            .map(k -> "t." + Projection.quote(k) + " = s." + Projection.quote(k))
            .collect(Collectors.joining(" AND "));
    List<String> targetColumns = Arrays.asList(spark.read().format("delta").load(path).columns());
    // a feature new to the table has no target column yet: any value of it is a change
    String changed =
        table.featureNames().stream()
            .map(
                n ->
                    targetColumns.contains(n)
                        ? "NOT (t." + Projection.quote(n) + " <=> s." + Projection.quote(n) + ")"
                        : "s." + Projection.quote(n) + " IS NOT NULL")
            .collect(Collectors.joining(" OR "));
    String newer =
        sc.createdTimestampColumn()
            .map(
                c -> {
                  String q = Projection.quote(c);
                  return "(s."
                      + q
                      + " > t."
                      + q
                      + " OR (t."
                      + q
                      + " IS NULL AND s."
                      + q
                      + " IS NOT NULL))";
                })
            .orElse("true");
    SessionSetting.withMicrosTimestamps(
        spark,
        () ->
            SessionSetting.with(
                spark,
                DELTA_AUTO_MERGE,
                "true", // a feature added to the spec becomes a column of the table
                () -> {
                  DeltaTable.forPath(spark, path)
                      .as("t")
                      .merge(source.as("s"), on)
                      .whenMatched(newer + " AND (" + changed + ")")
                      .updateAll()
                      .whenNotMatched()
                      .insertAll()
                      .execute();
                  return null;
                }));
    return lastCommitRows(spark, path, "numTargetRowsInserted", "numTargetRowsUpdated");
  }

  private static long lastCommitRows(SparkSession spark, String path, String... metrics) {
    Row last = DeltaTable.forPath(spark, path).history(1).select("operationMetrics").first();
    scala.collection.Map<String, String> m = last.getMap(0);
    long sum = 0;
    for (String k : metrics) {
      sum += Long.parseLong(m.get(k).getOrElse(() -> "0"));
    }
    return sum;
  }

  /** One row per key: the greatest created timestamp (nulls lowest). */
  static Dataset<Row> withLatestPerKey(
      Dataset<Row> rows, List<String> key, Optional<String> created) {
    if (created.isEmpty()) {
      return rows.dropDuplicates(key.toArray(String[]::new));
    }
    String rank = "_fi_rank";
    return rows.withColumn(
            rank,
            org.apache
                .spark
                .sql
                .functions
                .row_number()
                .over(
                    Window.partitionBy(
                            key.stream().map(k -> col(Projection.quote(k))).toArray(Column[]::new))
                        .orderBy(col(Projection.quote(created.get())).desc_nulls_last())))
        .where(col(rank).equalTo(1))
        .drop(rank);
  }
}
