package io.featureingest.serve;

import com.fasterxml.jackson.databind.JsonNode;
import io.featureingest.online.OnlineTable;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.ValueType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A checked {@code POST /get-online-features} body, Feast's {@code GetOnlineFeaturesRequest}:
 * {@code features} ("table:feature" references) or {@code feature_service} (a list under
 * feature_lists), {@code entities} (entity name -> one value per row) and {@code
 * full_feature_names}. Everything a store call needs is resolved and typed here, so that a bad body
 * is refused (400, naming its field) before any store is asked.
 */
record ReadRequest(
    int rows, List<EntityColumn> entities, List<TableRead> reads, List<FeatureColumn> features) {

  /** An entity column of the answer: the request's values, typed. */
  record EntityColumn(String name, ValueType type, List<Object> values) {}

  /** One store read: a table and its entity keys, one per row. */
  record TableRead(OnlineTable table, List<List<Object>> keys) {}

  /** A feature column of the answer: its output name and where its values come from. */
  record FeatureColumn(String name, int read, int featureIndex, ValueType type) {}

  private record Ref(FeatureTable table, String feature, String field) {}

  static ReadRequest parse(JsonNode body, Catalog catalog, int maxRows) {
    if (body == null || !body.isObject()) {
      throw new BadRequest(
          "bad_json",
          "",
          "the body must be a JSON object such as {\"features\": [\"driver_trips:driver_rating\"],"
              + " \"entities\": {\"driver_id\": [1001]}}");
    }
    JsonNode full = body.get("full_feature_names");
    if (full != null && !full.isBoolean() && !full.isNull()) {
      throw new BadRequest(
          "bad_json", "full_feature_names", "full_feature_names: expected true or false");
    }
    boolean fullNames = full != null && full.booleanValue();
    List<Ref> refs = refs(body, catalog);

    Map<String, Integer> readIndex = new LinkedHashMap<>();
    List<FeatureTable> tables = new ArrayList<>();
    for (Ref r : refs) {
      if (readIndex.putIfAbsent(r.table.name(), tables.size()) == null) {
        tables.add(r.table);
      }
    }
    EntityRows entities = EntityRows.parse(body.get("entities"), catalog, tables, maxRows);
    Set<String> names = new HashSet<>();
    entities.columns().forEach(c -> names.add(c.name()));
    List<TableRead> reads = new ArrayList<>();
    for (FeatureTable t : tables) {
      reads.add(new TableRead(catalog.online(t.name()), entities.keys(t)));
    }

    List<FeatureColumn> features = new ArrayList<>();
    for (Ref r : refs) {
      String name = fullNames ? r.table.name() + "__" + r.feature : r.feature;
      if (!names.add(name)) {
        throw new BadRequest(
            "duplicate_feature",
            r.field,
            r.field
                + ": '"
                + name
                + "' is already in the answer (requested twice, or an entity"
                + " or a feature of another table has that name); drop the duplicate or set"
                + " \"full_feature_names\": true to get table__feature names");
      }
      OnlineTable t = catalog.online(r.table.name());
      int index = t.featureIndex(r.feature);
      features.add(
          new FeatureColumn(
              name, readIndex.get(r.table.name()), index, t.featureTypes().get(index)));
    }
    return new ReadRequest(entities.rows(), entities.columns(), reads, features);
  }

  /**
   * The requested references, from {@code features} or from the list {@code feature_service} names.
   */
  private static List<Ref> refs(JsonNode body, Catalog catalog) {
    JsonNode features = body.get("features");
    JsonNode service = body.get("feature_service");
    boolean hasFeatures = features != null && !features.isNull();
    boolean hasService = service != null && !service.isNull();
    if (hasFeatures == hasService) {
      throw new BadRequest(
          "bad_json",
          hasFeatures ? "feature_service" : "features",
          hasFeatures
              ? "feature_service: give either features or feature_service, not both"
              : "features: missing; give \"features\": [\"table:feature\", ...] or"
                  + " \"feature_service\": a feature list of the config ("
                  + catalog.featureListNames()
                  + ")");
    }
    List<Ref> refs = new ArrayList<>();
    if (hasService) {
      if (!service.isTextual()) {
        throw new BadRequest("bad_json", "feature_service", "feature_service: expected a string");
      }
      List<String> list =
          catalog
              .featureList(service.textValue())
              .orElseThrow(
                  () ->
                      new BadRequest(
                          "unknown_feature_service",
                          "feature_service",
                          "feature_service: no feature list '"
                              + service.textValue()
                              + "' under feature_lists in the config; known: "
                              + catalog.featureListNames()));
      for (String item : list) {
        refs.add(ref(item, "feature_service", catalog));
      }
      return refs;
    }
    if (!features.isArray() || features.isEmpty()) {
      throw new BadRequest(
          "bad_json",
          "features",
          "features: expected a non-empty array of \"table:feature\" strings");
    }
    for (int i = 0; i < features.size(); i++) {
      String field = "features[" + i + "]";
      JsonNode f = features.get(i);
      if (!f.isTextual()) {
        throw new BadRequest(
            "bad_json", field, field + ": expected a \"table:feature\" string, got " + f);
      }
      refs.add(ref(f.textValue(), field, catalog));
    }
    return refs;
  }

  private static Ref ref(String text, String field, Catalog catalog) {
    int colon = text.indexOf(':');
    if (colon <= 0 || colon == text.length() - 1 || text.indexOf(':', colon + 1) >= 0) {
      throw new BadRequest(
          "bad_feature_reference",
          field,
          field
              + ": '"
              + text
              + "' is not a table:feature reference (e.g. driver_trips:driver_rating)");
    }
    String tableName = text.substring(0, colon);
    String feature = text.substring(colon + 1);
    FeatureTable table =
        catalog
            .table(tableName)
            .orElseThrow(
                () ->
                    new BadRequest(
                        "unknown_table",
                        field,
                        field
                            + ": unknown table '"
                            + tableName
                            + "' in '"
                            + text
                            + "'; tables: "
                            + catalog.names()));
    if (!table.featureNames().contains(feature)) {
      throw new BadRequest(
          "unknown_feature",
          field,
          field
              + ": table "
              + tableName
              + " has no feature '"
              + feature
              + "'; its features are "
              + table.featureNames());
    }
    return new Ref(table, feature, field);
  }
}
