package io.featureingest.join;

import static io.featureingest.join.PointInTimeJoin.quoted;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.last;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import io.featureingest.rows.NewestRow;
import io.featureingest.rows.TableFrame;
import io.featureingest.spec.FeatureTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * The as-of join of the tables that share one entity key set, in one sorted stream.
 *
 * <p>Each entity row becomes a stream row of kind 1 holding the whole entity row in one struct;
 * each feature row becomes a row of kind 0 holding its version and requested features in the struct
 * column of its table ({@code _fi_v<i>}, null elsewhere). Sorted within key by (event time, kind,
 * version), feature rows come before entity rows of the same instant (the upper bound is inclusive)
 * and the newest row of an instant by rule 2 ({@link NewestRow}) comes last, so {@code
 * last(_fi_v<i>, true)} up to an entity row is that table's latest row at the entity's time. A
 * winning row with null features keeps them null: the carried value is the whole row, never single
 * features. Rows older than {@code max_age} are dropped from the carried value afterwards.
 */
final class AsOfGroup {
  static final String TS = "_fi_ts";
  static final String KIND = "_fi_kind";
  static final String ENTITY = "_fi_entity";
  static final String BUCKET = "_fi_bucket";
  static final String VERSION_TS = "_fi_e";
  static final String VERSION_CREATED = "_fi_c";

  private AsOfGroup() {}

  static String key(int j) {
    return "_fi_k" + j;
  }

  static String value(int i) {
    return "_fi_v" + i;
  }

  /**
   * Adds the group's features to {@code entities} (the entity data plus the features of groups
   * joined before). {@code original} is the entity data as given: the hot-key estimate reads it
   * rather than {@code entities}, so that each group's plan refers to the groups before it once.
   */
  static Dataset<Row> withFeatures(
      Dataset<Row> entities,
      Dataset<Row> original,
      List<TableRequest> tables,
      JoinOptions options) {
    FeatureTable first = tables.get(0).table();
    List<String> keyNames = first.entityNames();
    List<DataType> keyTypes =
        first.entities().stream().map(e -> EntityContract.sparkType(e.type())).toList();

    List<Column> versionColumns = new ArrayList<>();
    List<DataType> versionTypes = new ArrayList<>();
    for (TableRequest r : tables) {
      Column v = version(r);
      versionColumns.add(v);
      versionTypes.add(r.rows().select(v).schema().fields()[0].dataType());
    }

    List<Column> entitySide = new ArrayList<>();
    for (int j = 0; j < keyNames.size(); j++) {
      entitySide.add(col(quoted(keyNames.get(j))).cast(keyTypes.get(j)).as(key(j)));
    }
    entitySide.add(unix_micros(col(quoted(options.entityTimestampColumn()))).as(TS));
    entitySide.add(lit(1).as(KIND));
    entitySide.add(
        struct(Arrays.stream(entities.columns()).map(c -> col(quoted(c))).toArray(Column[]::new))
            .as(ENTITY));
    for (int i = 0; i < tables.size(); i++) {
      entitySide.add(lit(null).cast(versionTypes.get(i)).as(value(i)));
    }
    Dataset<Row> entityRows = entities.select(entitySide.toArray(Column[]::new));
    DataType entityType = entityRows.schema().apply(ENTITY).dataType();
    Dataset<Row> featureRows = null;

    for (int i = 0; i < tables.size(); i++) {
      TableRequest r = tables.get(i);
      List<Column> side = new ArrayList<>();
      Column present = col(TableFrame.EVENT_TS).isNotNull();
      for (int j = 0; j < keyNames.size(); j++) {
        Column k = col(quoted(keyNames.get(j)));
        present = present.and(k.isNotNull());
        side.add(k.cast(keyTypes.get(j)).as(key(j)));
      }
      side.add(unix_micros(col(TableFrame.EVENT_TS)).as(TS));
      side.add(lit(0).as(KIND));
      side.add(lit(null).cast(entityType).as(ENTITY));
      for (int t = 0; t < tables.size(); t++) {
        side.add(
            t == i
                ? versionColumns.get(i).as(value(t))
                : lit(null).cast(versionTypes.get(t)).as(value(t)));
      }
      // A feature row without a key or an event time can match no entity row.
      Dataset<Row> rows = r.rows().where(present).select(side.toArray(Column[]::new));
      featureRows = featureRows == null ? rows : featureRows.unionByName(rows);
    }

    Dataset<Row> bucketed =
        SkewBuckets.withBuckets(
            entityRows,
            featureRows,
            keyTimes(original, featureRows, keyNames, keyTypes, options),
            tables.size(),
            options);

    List<Column> keys = new ArrayList<>();
    for (int j = 0; j < keyNames.size(); j++) {
      keys.add(col(key(j)));
    }
    keys.add(col(BUCKET));
    List<Column> order = new ArrayList<>(List.of(col(TS).asc_nulls_first(), col(KIND)));
    for (int i = 0; i < tables.size(); i++) {
      order.add(col(value(i)));
    }
    WindowSpec upToHere =
        Window.partitionBy(keys.toArray(Column[]::new))
            .orderBy(order.toArray(Column[]::new))
            .rowsBetween(Window.unboundedPreceding(), Window.currentRow());

    List<Column> carried = new ArrayList<>(List.of(col(ENTITY), col(TS), col(KIND)));
    for (int i = 0; i < tables.size(); i++) {
      carried.add(last(col(value(i)), true).over(upToHere).as(value(i)));
    }
    Dataset<Row> joined =
        bucketed.select(carried.toArray(Column[]::new)).where(col(KIND).equalTo(1));

    List<Column> out = new ArrayList<>();
    for (String c : entities.columns()) {
      out.add(col(ENTITY).getField(c).as(c));
    }
    for (int i = 0; i < tables.size(); i++) {
      TableRequest r = tables.get(i);
      Column v = withinMaxAge(col(value(i)), r.table());
      for (String f : r.features()) {
        out.add(v.getField(f).as(new FeatureRef(r.table().name(), f).column()));
      }
    }
    return joined.select(out.toArray(Column[]::new));
  }

  /** Key and time of every row of the group, for the hot-key estimate. */
  private static Dataset<Row> keyTimes(
      Dataset<Row> original,
      Dataset<Row> featureRows,
      List<String> keyNames,
      List<DataType> keyTypes,
      JoinOptions options) {
    List<Column> fromEntities = new ArrayList<>();
    List<Column> fromFeatures = new ArrayList<>();
    for (int j = 0; j < keyNames.size(); j++) {
      fromEntities.add(col(quoted(keyNames.get(j))).cast(keyTypes.get(j)).as(key(j)));
      fromFeatures.add(col(key(j)));
    }
    fromEntities.add(unix_micros(col(quoted(options.entityTimestampColumn()))).as(TS));
    fromEntities.add(lit(1).as(KIND));
    fromFeatures.add(col(TS));
    fromFeatures.add(col(KIND));
    return original
        .select(fromEntities.toArray(Column[]::new))
        .unionByName(featureRows.select(fromFeatures.toArray(Column[]::new)));
  }

  /**
   * The version of a feature row and its requested features: what the join carries forward, as the
   * newest-row rule's struct ({@link NewestRow#sortable}), so that the greatest carried value of an
   * instant is the row that materialize and stream would pick. The features break ties in the
   * table's order, as in the rule; only the requested ones are carried (reading every feature to
   * settle a tie of full versions would undo the column pruning of a narrow request).
   */
  private static Column version(TableRequest r) {
    Column created =
        Arrays.asList(r.rows().columns()).contains(TableFrame.CREATED_TS)
            ? col(TableFrame.CREATED_TS)
            : lit(null).cast(DataTypes.TimestampType);
    List<Column> ties = new ArrayList<>();
    for (String f : r.table().featureNames()) {
      if (r.features().contains(f)) {
        ties.add(col(quoted(f)).as(f));
      }
    }
    return NewestRow.sortable(
        unix_micros(col(TableFrame.EVENT_TS)).as(VERSION_TS), created.as(VERSION_CREATED), ties);
  }

  /**
   * The carried row when it is inside the table's max_age window of the entity time, else null. A
   * null entity time matches nothing.
   */
  private static Column withinMaxAge(Column carried, FeatureTable table) {
    Column entityTs = col(TS);
    Column keep = entityTs.isNotNull();
    if (table.maxAge().isPresent()) {
      java.time.Duration d = table.maxAge().get();
      long micros =
          Math.addExact(Math.multiplyExact(d.getSeconds(), 1_000_000L), d.getNano() / 1000);
      keep = keep.and(carried.getField(VERSION_TS).geq(entityTs.minus(lit(micros))));
    }
    return when(keep, carried);
  }
}
