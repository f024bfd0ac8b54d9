package io.featureingest.rows;

import io.featureingest.spec.DataContractException;
import io.featureingest.spec.DataErrors;
import io.featureingest.spec.Entity;
import io.featureingest.spec.Feature;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.SourceColumns;
import io.featureingest.spec.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;

/**
 * The spec-versus-data check (DESIGN rule 8), run on the input's schema before anything is read or
 * written: every entity, every feature and the event timestamp must be present, after
 * field_mapping, with a type that converts to the spec's type without loss.
 *
 * <p>field_mapping rule: an entry {@code name -> source} applies only when {@code name} is not
 * already an input column, so files written by {@code ingest} (which hold the table's own names)
 * and external files with other names both read. {@code source} is an input column name, else a
 * Spark SQL expression over the input columns.
 */
public final class SchemaContract {
  private SchemaContract() {}

  /** Where one table column comes from: an input column or an expression, and its input type. */
  public record Resolved(String target, String source, boolean expression, DataType found) {}

  /**
   * The outcome of a passed check: the resolved columns, the features absent from the input (only
   * with allowMissingFeatures; stored as nulls) and the input columns the spec does not know.
   */
  public record Contract(
      List<Resolved> entities,
      List<Resolved> features,
      Resolved eventTimestamp,
      Optional<Resolved> createdTimestamp,
      List<String> missingFeatures,
      List<String> droppedColumns) {}

  /**
   * Checks {@code input}'s schema (analysis only, no Spark job) and answers where each column comes
   * from; throws {@link DataContractException} naming table, column, found and expected type.
   */
  public static Contract check(
      Dataset<Row> input, FeatureTable table, SourceColumns columns, boolean allowMissingFeatures) {
    List<Resolved> entities = new ArrayList<>();
    for (Entity e : table.entities()) {
      Resolved r =
          resolve(input, table, columns, e.name(), "entity")
              .orElseThrow(() -> missing(input, table, e.name(), "entity", e.type(), ""));
      requireType(table, r, e.type());
      entities.add(r);
    }
    List<Resolved> features = new ArrayList<>();
    List<String> missingFeatures = new ArrayList<>();
    for (Feature f : table.features()) {
      Optional<Resolved> r = resolve(input, table, columns, f.name(), "feature");
      if (r.isEmpty()) {
        if (!allowMissingFeatures) {
          throw missing(
              input,
              table,
              f.name(),
              "feature",
              f.type(),
              "add it, map it with field_mapping, or pass --allow-missing-features to store"
                  + " nulls for it");
        }
        missingFeatures.add(f.name());
        continue;
      }
      requireType(table, r.get(), f.type());
      features.add(r.get());
    }
    String eventName = columns.eventTimestampColumn();
    Resolved event =
        resolve(input, table, columns, eventName, "event timestamp")
            .orElseThrow(() -> missing(input, table, eventName, "event timestamp", null, ""));
    requireTimestamp(table, event, "event timestamp");
    Optional<Resolved> created =
        columns
            .createdTimestampColumn()
            .flatMap(c -> resolve(input, table, columns, c, "created timestamp"));
    created.ifPresent(c -> requireTimestamp(table, c, "created timestamp"));

    List<Resolved> used = new ArrayList<>(entities);
    used.addAll(features);
    used.add(event);
    created.ifPresent(used::add);
    return new Contract(
        entities,
        features,
        event,
        created,
        List.copyOf(missingFeatures),
        dropped(input, used, columns.datePartitionColumn()));
  }

  private static Optional<Resolved> resolve(
      Dataset<Row> input, FeatureTable table, SourceColumns columns, String target, String role) {
    Optional<StructField> direct = field(input, target);
    if (direct.isPresent()) {
      return Optional.of(new Resolved(target, direct.get().name(), false, direct.get().dataType()));
    }
    String source = columns.fieldMapping().get(target);
    if (source == null) {
      return Optional.empty();
    }
    Optional<StructField> mapped = field(input, source);
    if (mapped.isPresent()) {
      return Optional.of(new Resolved(target, mapped.get().name(), false, mapped.get().dataType()));
    }
    try {
      DataType type = input.select(functions.expr(source)).schema().fields()[0].dataType();
      return Optional.of(new Resolved(target, source, true, type));
    } catch (Exception e) { // AnalysisException or ParseException: the mapping names no column
      throw DataErrors.badFieldMapping(
          table.name(), role, target, source, Arrays.asList(input.columns()), e);
    }
  }

  private static Optional<StructField> field(Dataset<Row> input, String name) {
    // Spark resolves names case-insensitively by default; so do we, keeping the input's spelling.
    return Arrays.stream(input.schema().fields())
        .filter(f -> f.name().equalsIgnoreCase(name))
        .findFirst();
  }

  private static void requireType(FeatureTable table, Resolved r, ValueType expected) {
    if (!Conversions.supports(r.found(), expected)) {
      throw DataErrors.columnType(
          table.name(),
          label(r),
          r.found().simpleString(),
          SparkTypes.describe(expected),
          "convert the column in the input or change the type in the spec");
    }
  }

  private static void requireTimestamp(FeatureTable table, Resolved r, String role) {
    if (!Conversions.isTimestampLike(r.found())) {
      throw DataErrors.columnType(
          table.name(),
          label(r),
          r.found().simpleString(),
          "a " + role + " (timestamp, date, ISO-8601 string or epoch seconds/milliseconds number)",
          "");
    }
  }

  private static String label(Resolved r) {
    return r.target().equals(r.source())
        ? r.target()
        : r.target() + "' (from field_mapping '" + r.source();
  }

  private static DataContractException missing(
      Dataset<Row> input,
      FeatureTable table,
      String column,
      String role,
      ValueType expected,
      String fix) {
    return DataErrors.missingInputColumn(
        table.name(),
        role,
        column,
        Arrays.asList(input.columns()),
        expected == null ? "a timestamp" : SparkTypes.describe(expected),
        fix);
  }

  private static List<String> dropped(
      Dataset<Row> input, List<Resolved> used, Optional<String> partitionColumn) {
    Set<String> keep = new LinkedHashSet<>();
    List<String> expressions = new ArrayList<>();
    for (Resolved r : used) {
      if (r.expression()) {
        expressions.add(r.source());
      } else {
        keep.add(r.source().toLowerCase(java.util.Locale.ROOT));
      }
    }
    partitionColumn.ifPresent(p -> keep.add(p.toLowerCase(java.util.Locale.ROOT)));
    List<String> out = new ArrayList<>();
    for (String c : input.columns()) {
      boolean inExpression =
          expressions.stream()
              .anyMatch(
                  e ->
                      Pattern.compile(
                              "(?<![\\w`])`?" + Pattern.quote(c) + "`?(?![\\w`])",
                              Pattern.CASE_INSENSITIVE)
                          .matcher(e)
                          .find());
      if (!keep.contains(c.toLowerCase(java.util.Locale.ROOT)) && !inExpression) {
        out.add(c);
      }
    }
    return List.copyOf(out);
  }
}
