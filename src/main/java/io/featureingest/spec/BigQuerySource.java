package io.featureingest.spec;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A BigQuery table ({@code table_ref}, as {@code project:dataset.table} or {@code
 * project.dataset.table}) or a {@code query}. Exactly one of the two is set.
 */
public record BigQuerySource(
    Optional<String> tableRef,
    Optional<String> query,
    Optional<String> materializationDataset,
    Optional<String> parentProject,
    Optional<String> credentialsFile,
    Map<String, String> options,
    SourceColumns columns)
    implements BatchSource {

  // [domain:]project then ':' or '.', then dataset.table; project ids themselves have no dots.
  private static final Pattern TABLE_REF =
      Pattern.compile(
          "(?:(?:[a-z0-9.\\-]+:)?[a-zA-Z0-9_\\-]+[:.])?[a-zA-Z0-9_]+\\.[a-zA-Z0-9_\\-$]+");

  public BigQuerySource {
    tableRef = tableRef == null ? Optional.empty() : tableRef;
    query = query == null ? Optional.empty() : query;
    materializationDataset =
        materializationDataset == null ? Optional.empty() : materializationDataset;
    parentProject = parentProject == null ? Optional.empty() : parentProject;
    credentialsFile = credentialsFile == null ? Optional.empty() : credentialsFile;
    options = options == null ? Map.of() : Map.copyOf(options);
    if (tableRef.isPresent() == query.isPresent()) {
      throw ConfigErrors.exactlyOneOf(
          "bigquery source", "table_ref (project:dataset.table)", "query");
    }
    tableRef.ifPresent(BigQuerySource::checkTableRef);
  }

  /**
   * Checks a table reference: {@code [project:]dataset.table} or {@code [project.]dataset.table}.
   */
  public static void checkTableRef(String ref) {
    if (ref == null || !TABLE_REF.matcher(ref.trim()).matches()) {
      throw ConfigErrors.badTableRef(ref);
    }
  }

  /** The table reference in the connector's form, {@code project.dataset.table}. */
  public Optional<String> connectorTable() {
    return tableRef
        .map(String::trim)
        .map(
            r -> {
              int colon = r.lastIndexOf(':');
              int dot = r.indexOf('.', Math.max(colon, 0));
              // project:dataset.table -> project.dataset.table; a domain's colon stays.
              return colon >= 0 && r.indexOf('.', colon + 1) == r.lastIndexOf('.') && dot > colon
                  ? r.substring(0, colon) + "." + r.substring(colon + 1)
                  : r;
            });
  }

  @Override
  public String type() {
    return "bigquery";
  }
}
