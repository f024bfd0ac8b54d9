package io.featureingest.serve;

import com.fasterxml.jackson.databind.JsonNode;
import io.featureingest.spec.Entity;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.ValueType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code entities} of a {@code /get-online-features} body, Feast's columnar form (entity name
 * -> one value per row), checked and typed: every column an array of the same length, every name an
 * entity of some table (Feast refuses unknown entities too), every entity of the requested tables
 * present, every value of its entity's type. A column no requested table needs is still answered,
 * as Feast does.
 */
record EntityRows(int rows, List<ReadRequest.EntityColumn> columns, Map<String, JsonNode> given) {

  static EntityRows parse(
      JsonNode entities, Catalog catalog, List<FeatureTable> tables, int maxRows) {
    Map<String, JsonNode> given = arrays(entities, catalog, maxRows);
    for (FeatureTable t : tables) {
      for (String e : t.entityNames()) {
        if (!given.containsKey(e)) {
          throw new BadRequest(
              "missing_entity",
              "entities." + e,
              "entities."
                  + e
                  + ": missing; table "
                  + t.name()
                  + " is keyed by "
                  + t.entityNames()
                  + ", give one value per row for each of them");
        }
      }
    }
    List<ReadRequest.EntityColumn> columns = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : given.entrySet()) {
      ValueType type =
          typeIn(tables, e.getKey()).orElseGet(() -> catalog.entityType(e.getKey()).get());
      columns.add(
          new ReadRequest.EntityColumn(e.getKey(), type, values(e.getKey(), e.getValue(), type)));
    }
    int rows = given.values().iterator().next().size();
    return new EntityRows(rows, columns, given);
  }

  /** The table's entity keys, one per row, in its entity order. */
  List<List<Object>> keys(FeatureTable table) {
    List<List<Object>> byEntity = new ArrayList<>();
    for (Entity entity : table.entities()) {
      ReadRequest.EntityColumn c =
          columns.stream().filter(x -> x.name().equals(entity.name())).findFirst().orElseThrow();
      // Two tables may key the same name with different types: convert again for this one.
      byEntity.add(
          c.type() == entity.type()
              ? c.values()
              : values(entity.name(), given.get(entity.name()), entity.type()));
    }
    List<List<Object>> keys = new ArrayList<>(rows);
    for (int row = 0; row < rows; row++) {
      List<Object> key = new ArrayList<>(byEntity.size());
      for (List<Object> column : byEntity) {
        key.add(column.get(row));
      }
      keys.add(key);
    }
    return keys;
  }

  private static Map<String, JsonNode> arrays(JsonNode entities, Catalog catalog, int maxRows) {
    if (entities == null || !entities.isObject() || entities.isEmpty()) {
      throw new BadRequest(
          "bad_json",
          "entities",
          "entities: expected an object of entity name -> values, e.g."
              + " {\"driver_id\": [1001, 1002]}");
    }
    Map<String, JsonNode> out = new LinkedHashMap<>();
    String first = null;
    for (Iterator<Map.Entry<String, JsonNode>> it = entities.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String field = "entities." + e.getKey();
      if (catalog.entityType(e.getKey()).isEmpty()) {
        throw new BadRequest(
            "unknown_entity", field, field + ": no table is keyed by '" + e.getKey() + "'");
      }
      JsonNode values = e.getValue();
      if (!values.isArray()) {
        throw new BadRequest("bad_json", field, field + ": expected an array, one value per row");
      }
      if (values.size() > maxRows) {
        throw new BadRequest(
            "too_many_rows",
            field,
            field
                + ": "
                + values.size()
                + " rows, more than this server's"
                + " serve.max_entity_rows = "
                + maxRows
                + "; split the request");
      }
      if (first != null && values.size() != out.get(first).size()) {
        throw new BadRequest(
            "bad_json",
            field,
            field
                + ": "
                + values.size()
                + " values, but entities."
                + first
                + " has "
                + out.get(first).size()
                + "; give one value per row in each");
      }
      first = first == null ? e.getKey() : first;
      out.put(e.getKey(), values);
    }
    return out;
  }

  private static Optional<ValueType> typeIn(List<FeatureTable> tables, String entity) {
    for (FeatureTable t : tables) {
      for (Entity e : t.entities()) {
        if (e.name().equals(entity)) {
          return Optional.of(e.type());
        }
      }
    }
    return Optional.empty();
  }

  private static List<Object> values(String name, JsonNode values, ValueType type) {
    List<Object> out = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      String field = "entities." + name + "[" + i + "]";
      Object v = JsonValues.read(values.get(i), type, "wrong_entity_type", field);
      if (v == null) {
        throw new BadRequest(
            "null_entity",
            field,
            field + ": null is no entity value; give a value of type " + type);
      }
      out.add(v);
    }
    return out;
  }
}
