package io.featureingest.offline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import io.featureingest.rows.Conversions;
import io.featureingest.rows.Projection;
import io.featureingest.spec.ConfigErrors;
import io.featureingest.spec.DataErrors;
import io.featureingest.spec.SourceColumns;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.TimestampType;

/**
 * The event-time window {@code [start, end)} over stored rows, for every store: date partitions
 * first (pruned by Spark), then the exact event-time test. Ingest writes {@code
 * date_partition_column} as the UTC date of the event timestamp, {@code yyyy-MM-dd}; that is what
 * is pruned on.
 */
final class EventWindow {
  /** The format of date partition values, written by ingest and pruned on here. */
  static final DateTimeFormatter PARTITION_DATE = DateTimeFormatter.ISO_LOCAL_DATE;

  private EventWindow() {}

  /** Refuses an empty or reversed window. */
  static void check(Instant start, Instant end) {
    if (!start.isBefore(end)) {
      throw ConfigErrors.startNotBeforeEnd("window start", start, "end", end);
    }
  }

  /** The rows of {@code rows} (as stored) whose event time is in {@code [start, end)}. */
  static Dataset<Row> of(Dataset<Row> rows, SourceColumns columns, Instant start, Instant end) {
    Dataset<Row> out = rows;
    Optional<StructField> partition = columns.datePartitionColumn().flatMap(p -> field(rows, p));
    if (partition.isPresent()) {
      LocalDate first = LocalDate.ofInstant(start, ZoneOffset.UTC);
      LocalDate last = LocalDate.ofInstant(end.minusNanos(1), ZoneOffset.UTC);
      Column p = col(Projection.quote(partition.get().name()));
      out =
          partition.get().dataType() instanceof DateType
              ? out.where(p.between(lit(first), lit(last)))
              : out.where(
                  p.cast("string")
                      .between(first.format(PARTITION_DATE), last.format(PARTITION_DATE)));
    }
    String eventName = columns.eventTimestampColumn();
    Optional<StructField> event = field(rows, eventName);
    Column ts;
    if (event.isPresent()) {
      String ref = Projection.quote(event.get().name());
      ts =
          event.get().dataType() instanceof TimestampType
              ? col(ref)
              : expr(Conversions.timestamp(ref, event.get().dataType()).value());
    } else if (columns.fieldMapping().containsKey(eventName)) {
      String source = columns.fieldMapping().get(eventName);
      Optional<StructField> mapped = field(rows, source);
      String ref = mapped.map(m -> Projection.quote(m.name())).orElse("(" + source + ")");
      var type =
          mapped.isPresent()
              ? mapped.get().dataType()
              : rows.select(expr(source)).schema().fields()[0].dataType();
      ts = expr(Conversions.timestamp(ref, type).value());
    } else {
      throw DataErrors.missingEventTimestamp(eventName, Arrays.asList(rows.columns()));
    }
    return out.where(ts.geq(lit(start)).and(ts.lt(lit(end))));
  }

  private static Optional<StructField> field(Dataset<Row> rows, String name) {
    return Arrays.stream(rows.schema().fields())
        .filter(x -> x.name().equalsIgnoreCase(name))
        .findFirst();
  }
}
