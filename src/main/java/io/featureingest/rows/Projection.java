package io.featureingest.rows;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import io.featureingest.rows.Conversions.Converted;
import io.featureingest.rows.SchemaContract.Contract;
import io.featureingest.rows.SchemaContract.Resolved;
import io.featureingest.spec.Feature;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.SourceColumns;
import io.featureingest.spec.ValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructType;

/**
 * Any input to the {@link TableFrame} shape, split into valid and invalid rows (DESIGN rules 7 and
 * 8). Pure Spark: checks the schema with {@link SchemaContract} (throwing before any job runs),
 * then builds Column expressions only, no UDF.
 *
 * <pre>{@code
 * Projected p = Projection.project(df, table, table.batchSource().columns(),
 *     ProjectionOptions.strict().stampedAt(Instant.now()));
 * p.valid().write()...; Quarantine.write(p.invalid(), ...);
 * }</pre>
 *
 * A row is invalid, with every problem listed in its {@code reason} ("; "-separated), when an
 * entity is null ({@code null entity driver_id}), the event timestamp is null ({@code null event
 * timestamp in column datetime}) or does not parse ({@code unparseable event timestamp 'xyz' in
 * column datetime}), the created timestamp does not parse, or a value does not convert without loss
 * ({@code value 'abc' of average_daily_rides is not a FLOAT}).
 */
public final class Projection {
  /** The column of {@link Projected#invalid()} that says why a row is invalid. */
  public static final String REASON = "reason";

  /** The boolean column of {@link Projected#flagged()}: true for invalid rows. */
  public static final String FLAG_INVALID = "_fi_invalid";

  /** The reason column of {@link Projected#flagged()}: null for valid rows. */
  public static final String FLAG_REASON = "_fi_reason";

  private static final String VALUE_PREFIX = "_fi_v_";
  private static final String SOURCE_PREFIX = "_fi_s_";

  private Projection() {}

  /** Checks the schema (throws {@code DataContractException}) and projects; no job runs here. */
  public static Projected project(
      Dataset<Row> input, FeatureTable table, SourceColumns columns, ProjectionOptions options) {
    Contract contract = SchemaContract.check(input, table, columns, options.allowMissingFeatures());
    List<String> inputColumns = List.of(input.columns());

    // Expressions of field_mapping become named columns first, so conversions can refer to them.
    List<Column> staged = new ArrayList<>();
    inputColumns.forEach(c -> staged.add(col(quote(c))));
    List<Resolved> all = new ArrayList<>(contract.entities());
    all.addAll(contract.features());
    all.add(contract.eventTimestamp());
    contract.createdTimestamp().ifPresent(all::add);
    int n = 0;
    Map<String, String> refs = new java.util.HashMap<>();
    for (Resolved r : all) {
      if (r.expression()) {
        String name = SOURCE_PREFIX + n++;
        staged.add(expr(r.source()).as(name));
        refs.put(r.target(), quote(name));
      } else {
        refs.put(r.target(), quote(r.source()));
      }
    }
    Function<Resolved, String> ref = r -> refs.get(r.target());

    List<Column> values = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    List<Column> valid = new ArrayList<>();
    Map<String, ValueType> types =
        table.entities().stream().collect(Collectors.toMap(e -> e.name(), e -> e.type()));
    table.features().forEach(f -> types.put(f.name(), f.type()));

    for (Resolved e : contract.entities()) {
      ValueType type = types.get(e.target());
      Converted c = Conversions.convert(ref.apply(e), e.found(), type);
      String r = ref.apply(e);
      reasons.add(
          "CASE WHEN "
              + r
              + " IS NULL THEN "
              + sql("null entity " + e.target())
              + (c.canFail() ? " WHEN " + c.failed() + " THEN " + notA(r, e, type) : "")
              + " END");
      values.add(expr(c.value()).as(VALUE_PREFIX + e.target()));
      valid.add(col(VALUE_PREFIX + e.target()).as(e.target()));
    }
    for (Feature f : table.features()) {
      if (contract.missingFeatures().contains(f.name())) {
        valid.add(lit(null).cast(SparkTypes.of(f.type())).as(f.name()));
        continue;
      }
      Resolved r =
          contract.features().stream()
              .filter(x -> x.target().equals(f.name()))
              .findFirst()
              .orElseThrow();
      Converted c = Conversions.convert(ref.apply(r), r.found(), f.type());
      if (c.canFail()) {
        reasons.add(
            "CASE WHEN " + c.failed() + " THEN " + notA(ref.apply(r), r, f.type()) + " END");
      }
      values.add(expr(c.value()).as(VALUE_PREFIX + f.name()));
      valid.add(col(VALUE_PREFIX + f.name()).cast(SparkTypes.of(f.type())).as(f.name()));
    }

    Resolved event = contract.eventTimestamp();
    Converted ev = Conversions.timestamp(ref.apply(event), event.found());
    String er = ref.apply(event);
    reasons.add(
        "CASE WHEN "
            + er
            + " IS NULL THEN "
            + sql("null event timestamp in column " + event.source())
            + (ev.canFail()
                ? " WHEN "
                    + ev.failed()
                    + " THEN concat("
                    + sql("unparseable event timestamp '")
                    + ", "
                    + display(er, event.found())
                    + ", "
                    + sql("' in column " + event.source())
                    + ")"
                : "")
            + " END");
    values.add(expr(ev.value()).as(TableFrame.EVENT_TS));
    valid.add(col(TableFrame.EVENT_TS));

    Column created = lit(null).cast(DataTypes.TimestampType);
    if (contract.createdTimestamp().isPresent()) {
      Resolved cr = contract.createdTimestamp().get();
      Converted cc = Conversions.timestamp(ref.apply(cr), cr.found());
      if (cc.canFail()) {
        reasons.add(
            "CASE WHEN "
                + cc.failed()
                + " THEN concat("
                + sql("unparseable created timestamp '")
                + ", "
                + display(ref.apply(cr), cr.found())
                + ", "
                + sql("' in column " + cr.source())
                + ") END");
      }
      created = expr(cc.value());
    }
    if (options.createdAt().isPresent()) {
      // Rule 3: where the input has no created timestamp, the ingestion instant is the version.
      created = org.apache.spark.sql.functions.coalesce(created, lit(options.createdAt().get()));
    }
    values.add(created.as(TableFrame.CREATED_TS));
    valid.add(col(TableFrame.CREATED_TS));

    List<Column> flaggedColumns = new ArrayList<>();
    inputColumns.forEach(c -> flaggedColumns.add(col(quote(c))));
    flaggedColumns.addAll(values);
    // The filter tests conditions only; reason texts are built for invalid rows alone.
    flaggedColumns.add(
        expr(reasons.stream()
                .map(r -> "(" + r + ") IS NOT NULL")
                .collect(Collectors.joining(" OR ")))
            .as(FLAG_INVALID));
    flaggedColumns.add(
        expr("nullif(concat_ws('; ', " + String.join(", ", reasons) + "), '')").as(FLAG_REASON));
    Dataset<Row> flagged =
        input.select(staged.toArray(Column[]::new)).select(flaggedColumns.toArray(Column[]::new));

    List<Column> original = new ArrayList<>();
    inputColumns.forEach(c -> original.add(col(quote(c))));
    original.add(col(FLAG_REASON).as(REASON));
    return new Projected(
        flagged.where(col(FLAG_INVALID).unary_$bang()).select(valid.toArray(Column[]::new)),
        flagged.where(col(FLAG_INVALID)).select(original.toArray(Column[]::new)),
        flagged,
        List.copyOf(valid),
        contract.droppedColumns(),
        contract.missingFeatures());
  }

  private static String notA(String ref, Resolved r, ValueType type) {
    return "concat("
        + sql("value '")
        + ", "
        + display(ref, r.found())
        + ", "
        + sql("' of " + r.target() + " is not a " + type)
        + ")";
  }

  /** How an input value reads in a reason: as text, JSON for nested values. */
  static String display(String ref, DataType found) {
    if (found instanceof ArrayType || found instanceof MapType || found instanceof StructType) {
      return "to_json(" + ref + ")";
    }
    return "CAST(" + ref + " AS STRING)";
  }

  /** A Spark SQL string literal. */
  static String sql(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** A column name quoted for Spark SQL and {@code col()}. */
  public static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}
