package io.featureingest.offline;

import io.delta.tables.DeltaTable;
import io.featureingest.rows.NewestRow;
import io.featureingest.rows.Projection;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.SourceColumns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

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
    // rule 2 in its window form, ties broken by the other columns as on every other path
    Dataset<Row> source =
        NewestRow.withNewestPer(
            stored, key, sc.eventTimestampColumn(), sc.createdTimestampColumn());
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
}
