package io.featureingest.spec;

import java.util.List;
import java.util.Locale;

/**
 * Every user-facing data contract error (exit 3), in one place: the data does not match the spec,
 * found before anything is written. Each message names the table, the column and both types or the
 * columns found, and how to fix it; see docs/errors.md.
 *
 * <pre>{@code
 * throw DataErrors.columnType("driver_trips", "driver_id", "string", "INT64 (bigint)", "");
 * }</pre>
 */
public final class DataErrors {
  private DataErrors() {}

  /** The schema-check message every component uses, naming table, column and both types. */
  public static DataContractException columnType(
      String table, String column, String found, String expected, String fix) {
    return error(
        "table %s: column '%s' has type %s, expected %s%s",
        table, column, found, expected, fix == null || fix.isEmpty() ? "" : "; " + fix);
  }

  public static DataContractException missingEntityTimestamp(String column, List<String> found) {
    return error(
        "entity data: timestamp column '%s' is missing (found columns: %s); add it or name"
            + " another with --entity-timestamp-column or retrieve.entity_timestamp_column",
        column, String.join(", ", found));
  }

  public static DataContractException missingEntityColumn(
      String table, String entity, ValueType type, List<String> found) {
    return error(
        "table %s: entity column '%s' (%s) is missing from the entity data (found columns: %s)",
        table, entity, type, String.join(", ", found));
  }

  /** A column the point-in-time join reads is not in a table's rows. */
  public static DataContractException missingRowColumn(
      String table, String column, List<String> found) {
    return error(
        "table %s: column '%s' is missing from the table's rows (found columns: %s)",
        table, column, String.join(", ", found));
  }

  /** A requested feature that the table's batch source (the offline store) does not hold. */
  public static DataContractException missingFeatureColumn(
      String table, String feature, List<String> columns) {
    return error(
        "table %s: feature column '%s' is missing from its batch source (columns: %s); ingest it"
            + " or map it with field_mapping",
        table, feature, String.join(", ", columns));
  }

  public static DataContractException badEntityTimestamp(String path, String value, String column) {
    return error(
        "entity data %s: value '%s' of column '%s' is not an ISO-8601 timestamp (e.g."
            + " 2019-01-01T02:00:00Z)",
        path, value, column);
  }

  /**
   * A column of the spec (entity, feature, event timestamp) that the input lacks, also after
   * field_mapping. {@code expected} is the spec's type as {@code SparkTypes.describe} gives it;
   * {@code fix} may be empty.
   */
  public static DataContractException missingInputColumn(
      String table,
      String role,
      String column,
      List<String> inputColumns,
      String expected,
      String fix) {
    return error(
        "table %s: %s column '%s' is missing from the input (found type: none; input columns:"
            + " %s), expected %s%s",
        table,
        role,
        column,
        inputColumns,
        expected,
        fix == null || fix.isEmpty() ? "" : "; " + fix);
  }

  /**
   * A field_mapping whose source is neither an input column nor a Spark SQL expression over them.
   */
  public static DataContractException badFieldMapping(
      String table,
      String role,
      String target,
      String source,
      List<String> inputColumns,
      Exception e) {
    return error(
        "table %s: field_mapping for %s '%s' is '%s', which is neither an input column nor an"
            + " expression over them (input columns: %s): %s",
        table, role, target, source, inputColumns, firstLine(e.getMessage()));
  }

  /** Stored rows (a batch source read for a window) without the event timestamp column. */
  public static DataContractException missingEventTimestamp(String column, List<String> columns) {
    return error(
        "batch source: event timestamp column '%s' is missing (columns: %s); set"
            + " event_timestamp_column or field_mapping",
        column, columns);
  }

  /**
   * An existing file batch source lacks a column the spec stores. {@code columns} are its columns
   * as "name type".
   */
  public static DataContractException missingStoredColumn(
      String table, String path, String column, String expected, List<String> columns) {
    return error(
        "table %s: the existing batch source at %s has no column '%s' (found type: none, expected"
            + " %s; its columns: %s). It was written under another spec: ingest into a new path,"
            + " or migrate it",
        table, path, column, expected, String.join(", ", columns));
  }

  /** An existing BigQuery table lacks a column the spec stores. */
  public static DataContractException missingBigQueryColumn(
      String table, String column, String expected) {
    return error(
        "table %s: the existing BigQuery table has no column '%s' (found type: none, expected"
            + " %s); ingest into a new table, or add the column in BigQuery",
        table, column, expected);
  }

  /** More than {@code maxFraction} of a run's {@code total} rows are invalid (DESIGN rule 7). */
  public static DataContractException tooManyInvalidRows(
      String table, long invalid, long total, double maxFraction, String quarantinePath) {
    return error(
        "table %s: %s of %s rows are invalid (%s), more than the allowed %s; nothing was written"
            + " to the table. The invalid rows and their reasons are at %s; fix them, or raise"
            + " --max-invalid-fraction (validation.max_invalid_fraction)",
        table,
        invalid,
        total,
        fraction((double) invalid / total),
        fraction(maxFraction),
        quarantinePath);
  }

  private static String fraction(double value) {
    return String.format(Locale.ROOT, "%.4f", value);
  }

  /** Spark's analysis errors carry the plan on further lines; the message is one line. */
  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  /** Templates with %s only, as in {@link ConfigErrors}. */
  private static DataContractException error(String template, Object... values) {
    return new DataContractException(String.format(Locale.ROOT, template, values));
  }
}
