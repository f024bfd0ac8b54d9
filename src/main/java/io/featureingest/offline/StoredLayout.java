package io.featureingest.offline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;

import io.featureingest.rows.Projection;
import io.featureingest.rows.SparkTypes;
import io.featureingest.rows.TableFrame;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.SourceColumns;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * How every store here lays out a {@link TableFrame}: entity and feature columns under the spec's
 * names, the event and created timestamps under the source's column names, and, when {@code
 * date_partition_column} is set, that column holding the UTC date of the event timestamp as {@code
 * yyyy-MM-dd} (always derived from the event time, so that windowed reads that prune partitions
 * find every row). Ingest and the stream's offline log store the same layout.
 */
final class StoredLayout {
  private StoredLayout() {}

  /** The frame as stored: source column names, plus the date partition column when set. */
  static Dataset<Row> of(Dataset<Row> frame, FeatureTable table) {
    SourceColumns sc = table.batchSource().columns();
    List<Column> out = new ArrayList<>();
    table.entityNames().forEach(n -> out.add(col(Projection.quote(n))));
    table.featureNames().forEach(n -> out.add(col(Projection.quote(n))));
    out.add(col(TableFrame.EVENT_TS).as(sc.eventTimestampColumn()));
    sc.createdTimestampColumn().ifPresent(c -> out.add(col(TableFrame.CREATED_TS).as(c)));
    sc.datePartitionColumn()
        .ifPresent(p -> out.add(date_format(col(TableFrame.EVENT_TS), "yyyy-MM-dd").as(p)));
    return frame.select(out.toArray(Column[]::new));
  }

  /** The schema {@link #of} produces. */
  static StructType schema(FeatureTable table) {
    SourceColumns sc = table.batchSource().columns();
    StructType s = new StructType();
    for (var e : table.entities()) {
      s = s.add(e.name(), SparkTypes.of(e.type()));
    }
    for (var f : table.features()) {
      s = s.add(f.name(), SparkTypes.of(f.type()));
    }
    s = s.add(sc.eventTimestampColumn(), DataTypes.TimestampType);
    if (sc.createdTimestampColumn().isPresent()) {
      s = s.add(sc.createdTimestampColumn().get(), DataTypes.TimestampType);
    }
    if (sc.datePartitionColumn().isPresent()) {
      s = s.add(sc.datePartitionColumn().get(), DataTypes.StringType);
    }
    return s;
  }
}
