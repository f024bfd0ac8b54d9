package io.featureingest.serve;

import com.fasterxml.jackson.databind.JsonNode;
import io.featureingest.online.OnlineRecord;
import io.featureingest.online.Version;
import io.featureingest.spec.Entity;
import io.featureingest.spec.Feature;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.SourceColumns;
import io.featureingest.spec.ValueType;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A checked {@code POST /push} body, Feast's {@code PushFeaturesRequest}: {@code push_source_name},
 * {@code df} (column -> one value per row, as pandas' {@code DataFrame.to_dict("list")} gives) and
 * {@code to} ({@code online}, the default; the offline store is written by {@code ingest}, which
 * needs Spark). The columns are named as for {@code push --input}: the table's entity and feature
 * names and its batch source's event and created timestamp columns; other columns are ignored.
 *
 * <p>Rules 7 and 8 without a quarantine: a missing column, a null entity value, a timestamp that
 * does not parse or a value that does not convert without loss refuses the whole body (400, naming
 * column and row) before anything is written. Rule 3: rows without a created timestamp take the
 * push time. Rule 2: of several rows for one entity key, the greatest version is the one written.
 */
record PushRequest(FeatureTable table, int rows, List<OnlineRecord> records) {

  static PushRequest parse(JsonNode body, Catalog catalog, int maxRows, Instant now) {
    if (body == null || !body.isObject()) {
      throw new BadRequest(
          "bad_json",
          "",
          "the body must be a JSON object such as {\"push_source_name\": ...,"
              + " \"df\": {\"driver_id\": [1001], ...}, \"to\": \"online\"}");
    }
    JsonNode source = body.get("push_source_name");
    if (source == null || !source.isTextual()) {
      throw new BadRequest(
          "bad_json",
          "push_source_name",
          "push_source_name: missing; give the push source (or"
              + " table) to write, e.g. \"push_source_name\": \"driver_trips\"");
    }
    FeatureTable table =
        catalog
            .pushTarget(source.textValue())
            .orElseThrow(
                () ->
                    new BadRequest(
                        "unknown_push_source",
                        "push_source_name",
                        "push_source_name: '"
                            + source.textValue()
                            + "' is neither a push source"
                            + " (push_sources: "
                            + catalog.pushSourceNames()
                            + ") nor a table ("
                            + catalog.names()
                            + ")"));
    JsonNode to = body.get("to");
    if (to != null && !to.isNull() && !"online".equals(to.asText())) {
      throw new BadRequest(
          "unsupported_push_mode",
          "to",
          "to: '"
              + to.asText()
              + "' is not served here; this"
              + " server writes the online store only (\"to\": \"online\"); the offline store is"
              + " written by `feature-ingest ingest`, which runs on Spark");
    }
    Map<String, JsonNode> df = columns(body.get("df"));
    int rows = rowCount(df, maxRows);
    SourceColumns names = table.batchSource().columns();

    List<List<Object>> entities = new ArrayList<>();
    for (Entity e : table.entities()) {
      entities.add(column(df, e.name(), e.type(), rows, true, table));
    }
    List<Object> events =
        column(df, names.eventTimestampColumn(), ValueType.UNIX_TIMESTAMP, rows, true, table);
    List<Object> created =
        names
            .createdTimestampColumn()
            .filter(df::containsKey)
            .map(c -> column(df, c, ValueType.UNIX_TIMESTAMP, rows, false, table))
            .orElse(null);
    List<List<Object>> features = new ArrayList<>();
    for (Feature f : table.features()) {
      features.add(column(df, f.name(), f.type(), rows, false, table));
    }

    Map<List<Object>, OnlineRecord> newest = new LinkedHashMap<>();
    for (int r = 0; r < rows; r++) {
      List<Object> key = new ArrayList<>(entities.size());
      for (List<Object> e : entities) {
        key.add(e.get(r));
      }
      Instant createdAt =
          created == null || created.get(r) == null ? now : (Instant) created.get(r);
      Version version = Version.of((Instant) events.get(r), createdAt);
      List<Object> values = new ArrayList<>(features.size());
      for (List<Object> f : features) {
        values.add(f.get(r));
      }
      OnlineRecord record = new OnlineRecord(key, version, values);
      newest.merge(
          comparable(key), record, (a, b) -> b.version().compareTo(a.version()) > 0 ? b : a);
    }
    return new PushRequest(table, rows, List.copyOf(newest.values()));
  }

  private static Map<String, JsonNode> columns(JsonNode df) {
    if (df == null || !df.isObject()) {
      throw new BadRequest(
          "bad_json",
          "df",
          "df: expected an object of column -> values, e.g. {\"driver_id\": [1001],"
              + " \"datetime\": [\"2021-04-12 10:59:42\"], \"driver_rating\": [4.7]}");
    }
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = df.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), e.getValue());
    }
    return out;
  }

  /** The rows of the frame: every array column has this many values; scalars broadcast (pandas). */
  private static int rowCount(Map<String, JsonNode> df, int maxRows) {
    int rows = -1;
    String first = null;
    for (Map.Entry<String, JsonNode> e : df.entrySet()) {
      if (!e.getValue().isArray()) {
        continue;
      }
      if (rows >= 0 && e.getValue().size() != rows) {
        throw new BadRequest(
            "bad_json",
            "df." + e.getKey(),
            "df."
                + e.getKey()
                + ": "
                + e.getValue().size()
                + " values, but df."
                + first
                + " has "
                + rows
                + "; give one value per row in each");
      }
      rows = e.getValue().size();
      first = first == null ? e.getKey() : first;
    }
    if (rows < 0) {
      throw new BadRequest(
          "bad_json", "df", "df: no column is an array of values; give one array per column");
    }
    if (rows > maxRows) {
      throw new BadRequest(
          "too_many_rows",
          "df",
          "df: "
              + rows
              + " rows, more than this server's"
              + " serve.max_entity_rows = "
              + maxRows
              + "; split the push");
    }
    return rows;
  }

  private static List<Object> column(
      Map<String, JsonNode> df,
      String name,
      ValueType type,
      int rows,
      boolean required,
      FeatureTable table) {
    String field = "df." + name;
    JsonNode values = df.get(name);
    if (values == null) {
      throw new BadRequest(
          "missing_column",
          field,
          field
              + ": missing; table "
              + table.name()
              + " needs its"
              + " entities "
              + table.entityNames()
              + ", its event timestamp column '"
              + table.batchSource().columns().eventTimestampColumn()
              + "' and every feature "
              + table.featureNames()
              + " (a missing feature would clear the stored value)");
    }
    List<Object> out = new ArrayList<>(rows);
    for (int r = 0; r < rows; r++) {
      String at = field + "[" + r + "]";
      JsonNode node = values.isArray() ? values.get(r) : values;
      Object v = JsonValues.read(node, type, "wrong_type", at);
      if (v == null && required) {
        throw new BadRequest(
            "null_value", at, at + ": null; every row needs its entity values and event timestamp");
      }
      out.add(v);
    }
    return out;
  }

  /** An entity key usable as a map key: byte arrays compare by content. */
  private static List<Object> comparable(List<Object> key) {
    List<Object> out = new ArrayList<>(key.size());
    for (Object v : key) {
      out.add(v instanceof byte[] b ? ByteBuffer.wrap(b) : v);
    }
    return out;
  }
}
