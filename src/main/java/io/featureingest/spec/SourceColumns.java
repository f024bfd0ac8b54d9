package io.featureingest.spec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What every source names: its event and created timestamp columns, an optional field mapping
 * (table name -> source column or SQL expression) and an optional date partition column.
 */
public record SourceColumns(
    String eventTimestampColumn,
    Optional<String> createdTimestampColumn,
    Map<String, String> fieldMapping,
    Optional<String> datePartitionColumn) {

  public SourceColumns {
    if (eventTimestampColumn == null || eventTimestampColumn.isBlank()) {
      throw ConfigErrors.requiredNotEmpty("event_timestamp_column");
    }
    createdTimestampColumn =
        createdTimestampColumn == null ? Optional.empty() : createdTimestampColumn;
    datePartitionColumn = datePartitionColumn == null ? Optional.empty() : datePartitionColumn;
    fieldMapping =
        fieldMapping == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fieldMapping));
  }

  public static SourceColumns of(String eventTimestampColumn, String createdTimestampColumn) {
    return new SourceColumns(
        eventTimestampColumn,
        Optional.ofNullable(createdTimestampColumn),
        Map.of(),
        Optional.empty());
  }

  /** The source column or expression that feeds the table's column {@code name}. */
  public String sourceOf(String name) {
    return fieldMapping.getOrDefault(name, name);
  }
}
