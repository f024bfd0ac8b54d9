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

  /** Templates with %s only, as in {@link ConfigErrors}. */
  private static DataContractException error(String template, Object... values) {
    return new DataContractException(String.format(Locale.ROOT, template, values));
  }
}
