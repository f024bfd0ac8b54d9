package io.featureingest.job;

import io.featureingest.join.FeatureRef;
import io.featureingest.join.JoinOptions;
import io.featureingest.join.PointInTimeJoin;
import io.featureingest.join.TableRequest;
import io.featureingest.rows.Projected;
import io.featureingest.rows.Projection;
import io.featureingest.rows.ProjectionOptions;
import io.featureingest.spec.ConfigErrors;
import io.featureingest.spec.ConfigException;
import io.featureingest.spec.DataErrors;
import io.featureingest.spec.FeatureTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Training sets from the offline store: reads each requested table's batch source, projects it to
 * the {@code TableFrame} shape (honouring {@code field_mapping} and the source's own timestamp
 * columns) and runs the point-in-time join.
 *
 * <pre>{@code
 * Dataset<Row> training = TrainingSets.retrieve(spark, entities,
 *     FeatureRefs.parse("driver_trips:driver_rating,driver_trips:average_daily_rides"),
 *     repo.tables()::get, JoinOptions.defaults());
 * }</pre>
 */
public final class TrainingSets {
  private TrainingSets() {}

  /**
   * Entity rows in, entity rows with {@code table__feature} columns out (lazy: nothing runs until
   * the caller acts).
   *
   * @param tables the spec of a table by name; throws {@link ConfigException} for an unknown one
   */
  public static Dataset<Row> retrieve(
      SparkSession spark,
      Dataset<Row> entities,
      List<FeatureRef> features,
      Function<String, FeatureTable> tables,
      JoinOptions options) {
    if (features.isEmpty()) {
      throw ConfigErrors.noFeaturesGiven();
    }
    Map<String, List<String>> byTable = new LinkedHashMap<>();
    for (FeatureRef f : features) {
      byTable.computeIfAbsent(f.table(), t -> new ArrayList<>()).add(f.feature());
    }
    List<TableRequest> requests = new ArrayList<>();
    for (var e : byTable.entrySet()) {
      FeatureTable table = tables.apply(e.getKey());
      if (table == null) {
        throw ConfigErrors.unknownTable(e.getKey());
      }
      TableRequest.checkFeatures(table, e.getValue()); // before any source is read
      requests.add(new TableRequest(table, tableFrame(spark, table, e.getValue()), e.getValue()));
    }
    return PointInTimeJoin.join(entities, requests, options);
  }

  /**
   * The table's stored rows as a TableFrame. Features that are not asked for may be absent from the
   * source; an asked-for one may not. Rows that break the contract (null key, bad timestamp) take
   * no part: ingest quarantined them already, and a training set must not guess.
   */
  static Dataset<Row> tableFrame(SparkSession spark, FeatureTable table, List<String> features) {
    Dataset<Row> raw = OfflineStores.of(table).read(spark);
    Projected p = stored(raw, table);
    for (String f : features) {
      if (p.missingFeatures().contains(f)) {
        throw DataErrors.missingFeatureColumn(table.name(), f, List.of(raw.columns()));
      }
    }
    return p.valid();
  }

  /**
   * Per table of {@code features}: how many of its stored rows break the contract and so took no
   * part in a training set ({@link #tableFrame}). A separate pass, one Spark job per table: the
   * join reads each source more than once, so counting inside it would count rows more than once.
   */
  public static Map<String, Long> storedRowsLeftOut(
      SparkSession spark, List<FeatureRef> features, Function<String, FeatureTable> tables) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (FeatureRef f : features) {
      if (!out.containsKey(f.table())) {
        FeatureTable table = tables.apply(f.table());
        Projected p = stored(OfflineStores.of(table).read(spark), table);
        spark
            .sparkContext()
            .setJobDescription("retrieve: count stored rows of " + table.name() + " left out");
        out.put(f.table(), p.counts().invalid());
      }
    }
    spark.sparkContext().setJobDescription(null);
    return out;
  }

  /** A table's stored rows through the projection; features not asked for may be absent. */
  private static Projected stored(Dataset<Row> raw, FeatureTable table) {
    return Projection.project(
        raw,
        table,
        table.batchSource().columns(),
        ProjectionOptions.strict().allowingMissingFeatures(true));
  }

  /** {@code table:feature,...}, or the name of a list under {@code feature_lists} in the config. */
  public static List<FeatureRef> parseFeatures(String text, Map<String, List<String>> lists) {
    String t = text == null ? "" : text.trim();
    List<String> items;
    if (!t.contains(":")) {
      items = lists.get(t);
      if (items == null) {
        throw ConfigErrors.unknownFeatureList(t, lists.keySet());
      }
    } else {
      items = List.of(t.split(","));
    }
    List<FeatureRef> out = new ArrayList<>();
    for (String item : items) {
      if (!item.isBlank()) {
        out.add(FeatureRef.parse(item));
      }
    }
    return out;
  }
}
