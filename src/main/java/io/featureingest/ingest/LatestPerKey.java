package io.featureingest.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.struct;

import io.featureingest.spec.FeatureTable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Rule 2: per entity key, the row with the greatest version (event timestamp, then created
 * timestamp, a null created sorting lowest) wins. Used by materialize, push and stream.
 *
 * <p>One shuffle: {@code max(struct(event_ts, created_ts, other columns...))} grouped by the entity
 * columns. Struct ordering compares field by field with nulls first, which is exactly the version
 * order; the remaining fields make a tie on the full version deterministic. Unlike {@code
 * row_number()} over a window, which must shuffle and sort every row, the aggregate combines rows
 * of the same key before the shuffle (partial aggregation), so only about one row per key and map
 * task crosses the network.
 */
public final class LatestPerKey {
  private static final String LATEST = "_fi_latest";

  private LatestPerKey() {}

  /** The latest row of each entity key of a {@link TableFrame}, same columns, same order. */
  public static Dataset<Row> withLatestPerKey(Dataset<Row> frame, FeatureTable table) {
    return withLatestPerKey(frame, table.entityNames());
  }

  public static Dataset<Row> withLatestPerKey(Dataset<Row> frame, List<String> keyColumns) {
    List<Column> versionFirst = new ArrayList<>();
    versionFirst.add(col(TableFrame.EVENT_TS));
    versionFirst.add(col(TableFrame.CREATED_TS));
    List<String> rest = new ArrayList<>();
    for (String c : frame.columns()) {
      if (!keyColumns.contains(c)
          && !c.equals(TableFrame.EVENT_TS)
          && !c.equals(TableFrame.CREATED_TS)) {
        rest.add(c);
        versionFirst.add(col(Projection.quote(c)));
      }
    }
    Column[] keys = keyColumns.stream().map(k -> col(Projection.quote(k))).toArray(Column[]::new);
    Dataset<Row> latest =
        frame.groupBy(keys).agg(max(struct(versionFirst.toArray(Column[]::new))).as(LATEST));
    List<Column> out = new ArrayList<>();
    for (String c : frame.columns()) {
      out.add(
          keyColumns.contains(c)
              ? col(Projection.quote(c))
              : col(LATEST + "." + Projection.quote(c)).as(c));
    }
    return latest.select(out.toArray(Column[]::new));
  }
}
