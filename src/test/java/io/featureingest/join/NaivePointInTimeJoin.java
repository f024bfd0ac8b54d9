package io.featureingest.join;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.unix_micros;

import io.featureingest.rows.TableFrame;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * The reference the join is checked and measured against: what the leading feature stores do, a
 * keyed inequality join of entity rows with feature rows inside the max_age window, then {@code
 * row_number} over each entity row by version, descending. Its cost is the number of matching pairs
 * per key. Same tie-break as the real join: (event time, created time, features).
 */
public final class NaivePointInTimeJoin {
  private NaivePointInTimeJoin() {}

  public static Dataset<Row> join(
      Dataset<Row> entities, List<TableRequest> requests, String entityTimestampColumn) {
    Dataset<Row> out = entities;
    for (TableRequest r : requests) {
      out = withTable(out, r, entityTimestampColumn);
    }
    return out;
  }

  private static Dataset<Row> withTable(Dataset<Row> entities, TableRequest r, String tsColumn) {
    String rid = "_naive_rid";
    Dataset<Row> e = entities.withColumn(rid, monotonically_increasing_id()).as("e");
    List<Column> version = new ArrayList<>();
    version.add(unix_micros(col(TableFrame.EVENT_TS)).as("_e"));
    version.add(col(TableFrame.CREATED_TS).as("_c"));
    for (String f : r.features()) {
      version.add(col(f).as(f));
    }
    List<Column> fcols = new ArrayList<>();
    for (String k : r.table().entityNames()) {
      fcols.add(col(k).as("_naive_k_" + k));
    }
    fcols.add(struct(version.toArray(Column[]::new)).as("_naive_v"));
    Dataset<Row> f = r.rows().select(fcols.toArray(Column[]::new)).as("f");

    Column entityMicros = unix_micros(col("e.`" + tsColumn + "`"));
    Column on = col("f._naive_v._e").leq(entityMicros);
    if (r.table().maxAge().isPresent()) {
      long micros = r.table().maxAge().get().getSeconds() * 1_000_000L;
      on = on.and(col("f._naive_v._e").geq(entityMicros.minus(micros)));
    }
    for (String k : r.table().entityNames()) {
      on = on.and(col("e.`" + k + "`").equalTo(col("f._naive_k_" + k)));
    }
    Dataset<Row> pairs = e.join(f, on, "left");
    Dataset<Row> best =
        pairs
            .withColumn(
                "_naive_rank",
                row_number().over(Window.partitionBy(col(rid)).orderBy(col("_naive_v").desc())))
            .where(col("_naive_rank").equalTo(1));
    List<Column> out = new ArrayList<>();
    for (String c : entities.columns()) {
      out.add(col("e.`" + c + "`").as(c));
    }
    for (String feature : r.features()) {
      out.add(
          col("_naive_v").getField(feature).as(new FeatureRef(r.table().name(), feature).column()));
    }
    return best.select(out.toArray(Column[]::new));
  }
}
