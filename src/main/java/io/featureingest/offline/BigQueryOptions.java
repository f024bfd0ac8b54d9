package io.featureingest.offline;

import io.featureingest.spec.BigQuerySource;
import io.featureingest.spec.ConfigErrors;
import io.featureingest.spec.SourceErrors;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The spark-bigquery connector's options for a {@link BigQuerySource}: reads (table or query, with
 * the materialization window pushed down as a filter) and writes (direct by default, or indirect
 * through a GCS bucket; day partitions on the event timestamp). Pure: no Spark, no network, so
 * every mapping is unit-tested without reaching Google.
 */
public final class BigQueryOptions {
  /** The connector's format name on Dataproc and with the with-dependencies jar. */
  public static final String FORMAT = "bigquery";

  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

  private BigQueryOptions() {}

  /** How a write reaches BigQuery. */
  public enum WriteMethod {
    /** The Storage Write API; no bucket needed. */
    DIRECT,
    /** Files staged in {@code temporaryGcsBucket}, then a load job. */
    INDIRECT
  }

  /** Options to read the source, only event times in {@code [start, end)} when given. */
  public static Map<String, String> read(
      BigQuerySource source, Optional<Instant> start, Optional<Instant> end) {
    Map<String, String> options = common(source);
    source.connectorTable().ifPresent(table -> options.put("table", table));
    source
        .query()
        .ifPresent(
            query -> {
              // A query result is materialized into a temporary table; the connector needs a
              // dataset for it.
              options.put("query", query);
              options.put("viewsEnabled", "true");
              options.put(
                  "materializationDataset",
                  source
                      .materializationDataset()
                      .orElseThrow(SourceErrors::queryNeedsMaterializationDataset));
            });
    if (source.tableRef().isPresent()) {
      source
          .materializationDataset()
          .ifPresent(
              ds -> {
                // Reading a view materializes it too.
                options.put("viewsEnabled", "true");
                options.put("materializationDataset", ds);
              });
    }
    windowFilter(source.columns().eventTimestampColumn(), start, end)
        .ifPresent(filter -> options.put("filter", filter));
    options.putAll(source.options());
    return options;
  }

  /** Options to append to the source's table, creating it partitioned by day on the event time. */
  public static Map<String, String> write(
      BigQuerySource source, WriteMethod method, Optional<String> temporaryGcsBucket) {
    String table = source.connectorTable().orElseThrow(SourceErrors::queryNotWritable);
    Map<String, String> options = common(source);
    options.putAll(writeTo(table, method, temporaryGcsBucket));
    options.put("partitionField", source.columns().eventTimestampColumn());
    options.put("partitionType", "DAY");
    options.putAll(source.options());
    return options;
  }

  /**
   * Project-wide connector settings for tables that are not a feature table's source (retrieve's
   * {@code bq:} entities and BigQuery output), from the config's {@code bigquery} block.
   */
  public record Defaults(
      Optional<String> parentProject,
      Optional<String> credentialsFile,
      WriteMethod writeMethod,
      Optional<String> temporaryGcsBucket) {

    public static Defaults from(com.typesafe.config.Config config) {
      java.util.function.Function<String, Optional<String>> text =
          key ->
              config.hasPath("bigquery." + key) && !config.getString("bigquery." + key).isBlank()
                  ? Optional.of(config.getString("bigquery." + key))
                  : Optional.empty();
      String method = text.apply("write_method").orElse("direct");
      WriteMethod parsed;
      try {
        parsed = WriteMethod.valueOf(method.trim().toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw ConfigErrors.oneOf(
            "bigquery.write_method", java.util.List.of("direct", "indirect"), method);
      }
      return new Defaults(
          text.apply("parent_project"),
          text.apply("credentials_file"),
          parsed,
          text.apply("temporary_gcs_bucket"));
    }
  }

  /** Options to read a whole table, e.g. {@code retrieve --entities bq:project:dataset.table}. */
  public static Map<String, String> readTable(String tableRef, Defaults defaults) {
    BigQuerySource.checkTableRef(tableRef);
    Map<String, String> options = common(defaults);
    options.put("table", connectorForm(tableRef));
    return options;
  }

  /** Options to write a whole table (retrieve's BigQuery output), created when missing. */
  public static Map<String, String> writeTable(String tableRef, Defaults defaults) {
    BigQuerySource.checkTableRef(tableRef);
    Map<String, String> options = common(defaults);
    options.putAll(
        writeTo(connectorForm(tableRef), defaults.writeMethod(), defaults.temporaryGcsBucket()));
    return options;
  }

  private static Map<String, String> writeTo(
      String table, WriteMethod method, Optional<String> temporaryGcsBucket) {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("table", table);
    options.put("writeMethod", method.name().toLowerCase(java.util.Locale.ROOT));
    if (method == WriteMethod.INDIRECT) {
      options.put(
          "temporaryGcsBucket",
          temporaryGcsBucket.orElseThrow(SourceErrors::indirectWriteNeedsBucket));
      options.put("intermediateFormat", "parquet");
    }
    options.put("createDisposition", "CREATE_IF_NEEDED");
    return options;
  }

  private static String connectorForm(String tableRef) {
    return new BigQuerySource(
            Optional.of(tableRef),
            Optional.empty(),
            null,
            null,
            null,
            null,
            io.featureingest.spec.SourceColumns.of("unused", null))
        .connectorTable()
        .orElseThrow();
  }

  private static Map<String, String> common(Defaults defaults) {
    Map<String, String> options = new LinkedHashMap<>();
    defaults.parentProject().ifPresent(p -> options.put("parentProject", p));
    defaults.credentialsFile().ifPresent(f -> options.put("credentialsFile", f));
    return options;
  }

  /**
   * The pushed-down filter for {@code [start, end)}: inclusive start, exclusive end, as UTC
   * timestamp literals in BigQuery Standard SQL. Empty when neither end is given.
   */
  public static Optional<String> windowFilter(
      String column, Optional<Instant> start, Optional<Instant> end) {
    StringBuilder filter = new StringBuilder();
    start.ifPresent(
        s ->
            filter
                .append(quote(column))
                .append(" >= TIMESTAMP '")
                .append(TS.format(s))
                .append("+00'"));
    end.ifPresent(
        e -> {
          if (filter.length() > 0) {
            filter.append(" AND ");
          }
          filter.append(quote(column)).append(" < TIMESTAMP '").append(TS.format(e)).append("+00'");
        });
    return filter.length() == 0 ? Optional.empty() : Optional.of(filter.toString());
  }

  private static Map<String, String> common(BigQuerySource source) {
    Map<String, String> options = new LinkedHashMap<>();
    source.parentProject().ifPresent(p -> options.put("parentProject", p));
    source.credentialsFile().ifPresent(f -> options.put("credentialsFile", f));
    return options;
  }

  private static String quote(String column) {
    return "`" + column.replace("`", "") + "`";
  }

  /** The options with secrets masked, for logs and error messages. */
  public static Map<String, String> masked(Map<String, String> options) {
    Map<String, String> out = new LinkedHashMap<>(options);
    out.replaceAll(
        (k, v) -> k.toLowerCase(java.util.Locale.ROOT).contains("credentials") ? "***" : v);
    return out;
  }
}
