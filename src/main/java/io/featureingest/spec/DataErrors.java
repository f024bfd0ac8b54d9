package io.featureingest.spec;

import java.util.List;

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
    return new DataContractException(
        "table "
            + table
            + ": column '"
            + column
            + "' has type "
            + found
            + ", expected "
            + expected
            + (fix == null || fix.isEmpty() ? "" : "; " + fix));
  }

  public static DataContractException missingEntityTimestamp(String column, List<String> found) {
    return new DataContractException(
        "entity data: timestamp column '"
            + column
            + "' is missing (found columns: "
            + String.join(", ", found)
            + "); add it or name another with --entity-timestamp-column"
            + " or retrieve.entity_timestamp_column");
  }

  public static DataContractException missingEntityColumn(
      String table, String entity, ValueType type, List<String> found) {
    return new DataContractException(
        "table "
            + table
            + ": entity column '"
            + entity
            + "' ("
            + type
            + ") is missing from the entity data (found columns: "
            + String.join(", ", found)
            + ")");
  }

  /** A column the point-in-time join reads is not in a table's rows. */
  public static DataContractException missingRowColumn(
      String table, String column, List<String> found) {
    return new DataContractException(
        "table "
            + table
            + ": column '"
            + column
            + "' is missing from the table's rows (found columns: "
            + String.join(", ", found)
            + ")");
  }

  /** A requested feature that the table's batch source (the offline store) does not hold. */
  public static DataContractException missingFeatureColumn(
      String table, String feature, List<String> columns) {
    return new DataContractException(
        "table "
            + table
            + ": feature column '"
            + feature
            + "' is missing from its batch source (columns: "
            + String.join(", ", columns)
            + "); ingest it or map it with field_mapping");
  }

  public static DataContractException badEntityTimestamp(String path, String value, String column) {
    return new DataContractException(
        "entity data "
            + path
            + ": value '"
            + value
            + "' of column '"
            + column
            + "' is not an ISO-8601 timestamp (e.g. 2019-01-01T02:00:00Z)");
  }
}
