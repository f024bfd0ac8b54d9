package io.featureingest.join;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Point-in-time join: for each entity row and each requested table, the table's row with the
 * greatest version (event timestamp, then created timestamp) among rows with the same entity key
 * and {@code entity_ts - max_age <= event_ts <= entity_ts}; nulls when there is none.
 *
 * <pre>{@code
 * Dataset<Row> training = PointInTimeJoin.join(entities,
 *     List.of(new TableRequest(driverTrips, driverTripsFrame, List.of("driver_rating"))),
 *     JoinOptions.defaults());
 * // entity columns as given, then driver_trips__driver_rating
 * }</pre>
 *
 * <p>Sort-based, not a keyed inequality join: entity rows and feature rows of the tables that share
 * one entity key set are put in one stream, sorted by (key, time, kind), and each table's latest
 * row is carried forward to the entity rows behind it ({@link AsOfGroup}). Cost is a sort of the
 * inputs, whatever the number of matching pairs. A hot key's timeline is split into time buckets so
 * that no task sorts it alone ({@link SkewBuckets}). Tables with the same entity key set share one
 * shuffle of the entity data; different key sets are joined one after another, each carrying all
 * entity columns and the features found so far through (no row id, no join back).
 */
public final class PointInTimeJoin {
  private PointInTimeJoin() {}

  /**
   * Joins the requested features onto every entity row (duplicates kept). Output: every entity
   * column in its order, then {@code table__feature} per requested feature, in request order.
   *
   * @throws io.featureingest.spec.DataContractException (exit 3) when a column the join needs is
   *     missing from the entity data or has a type that does not widen to the spec's
   */
  public static Dataset<Row> join(
      Dataset<Row> entities, List<TableRequest> requests, JoinOptions options) {
    List<TableRequest> merged = merge(requests);
    EntityContract.check(entities.schema(), merged, options);
    Map<Set<String>, List<TableRequest>> groups = new LinkedHashMap<>();
    for (TableRequest r : merged) {
      groups.computeIfAbsent(new TreeSet<>(r.table().entityNames()), k -> new ArrayList<>()).add(r);
    }
    Dataset<Row> out = entities;
    for (List<TableRequest> group : groups.values()) {
      out = AsOfGroup.withFeatures(out, entities, group, options);
    }
    List<Column> order = new ArrayList<>();
    for (String c : entities.columns()) {
      order.add(functions.col(quoted(c)));
    }
    for (TableRequest r : merged) {
      for (String f : r.features()) {
        order.add(functions.col(quoted(new FeatureRef(r.table().name(), f).column())));
      }
    }
    return out.select(order.toArray(Column[]::new));
  }

  /** One request per table, features in first-asked order, each once. */
  private static List<TableRequest> merge(List<TableRequest> requests) {
    Map<String, TableRequest> first = new LinkedHashMap<>();
    Map<String, Set<String>> features = new LinkedHashMap<>();
    for (TableRequest r : requests) {
      String name = r.table().name();
      TableRequest seen = first.putIfAbsent(name, r);
      if (seen != null && !seen.table().equals(r.table())) {
        throw new io.featureingest.spec.ConfigException(
            "table " + name + " is requested twice with different specs");
      }
      features.computeIfAbsent(name, k -> new LinkedHashSet<>()).addAll(r.features());
    }
    List<TableRequest> out = new ArrayList<>();
    first.forEach(
        (name, r) ->
            out.add(new TableRequest(r.table(), r.rows(), List.copyOf(features.get(name)))));
    return out;
  }

  static String quoted(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}
