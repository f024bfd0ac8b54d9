package io.featureingest.join;

import io.featureingest.rows.TableFrame;
import io.featureingest.spec.DataErrors;
import io.featureingest.spec.Entity;
import io.featureingest.spec.ValueType;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The checks a join makes before it runs (exit 3): the entity data has a timestamp column and every
 * entity column a requested table needs, with a type that widens safely to the spec's type; each
 * table's rows have the {@code TableFrame} columns the join reads.
 */
final class EntityContract {
  private EntityContract() {}

  static void check(StructType entities, List<TableRequest> requests, JoinOptions options) {
    String ts = options.entityTimestampColumn();
    StructField tsField = field(entities, ts);
    if (tsField == null) {
      throw DataErrors.missingEntityTimestamp(ts, List.of(entities.fieldNames()));
    }
    if (!tsField.dataType().equals(DataTypes.TimestampType)) {
      throw DataErrors.columnType(
          "entity data",
          ts,
          tsField.dataType().simpleString(),
          "timestamp",
          "give ISO-8601 instants (UTC when no zone) or a timestamp column");
    }
    for (TableRequest r : requests) {
      String table = r.table().name();
      for (Entity e : r.table().entities()) {
        StructField f = field(entities, e.name());
        if (f == null) {
          throw DataErrors.missingEntityColumn(
              table, e.name(), e.type(), List.of(entities.fieldNames()));
        }
        if (!accepts(e.type(), f.dataType())) {
          throw DataErrors.columnType(
              table,
              e.name(),
              f.dataType().simpleString(),
              e.type() + " (" + sparkType(e.type()).simpleString() + ")",
              "entity columns must have the spec's type or a type that widens to it");
        }
      }
      checkRows(r);
    }
  }

  private static void checkRows(TableRequest r) {
    StructType schema = r.rows().schema();
    String table = r.table().name();
    Set<String> have = Set.of(schema.fieldNames());
    java.util.List<String> needed = new java.util.ArrayList<>(r.table().entityNames());
    needed.addAll(r.features());
    needed.add(TableFrame.EVENT_TS);
    for (String c : needed) {
      if (!have.contains(c)) {
        throw DataErrors.missingRowColumn(table, c, List.of(schema.fieldNames()));
      }
    }
    DataType eventType = schema.apply(TableFrame.EVENT_TS).dataType();
    if (!eventType.equals(DataTypes.TimestampType)) {
      throw DataErrors.columnType(
          table, TableFrame.EVENT_TS, eventType.simpleString(), "timestamp", "");
    }
  }

  private static StructField field(StructType schema, String name) {
    return Arrays.stream(schema.fields())
        .filter(f -> f.name().equals(name))
        .findFirst()
        .orElse(null);
  }

  /** The Spark type of a scalar value type, as a join key. */
  static DataType sparkType(ValueType type) {
    return switch (type) {
      case INT32 -> DataTypes.IntegerType;
      case INT64 -> DataTypes.LongType;
      case STRING -> DataTypes.StringType;
      case BYTES -> DataTypes.BinaryType;
      case BOOL -> DataTypes.BooleanType;
      case FLOAT -> DataTypes.FloatType;
      case DOUBLE -> DataTypes.DoubleType;
      case UNIX_TIMESTAMP -> DataTypes.TimestampType;
      default -> throw new IllegalArgumentException("not a key type: " + type);
    };
  }

  /** Whether a column of type {@code found} converts to {@code type} without loss. */
  static boolean accepts(ValueType type, DataType found) {
    List<DataType> ok =
        switch (type) {
          case INT32 -> List.of(DataTypes.ByteType, DataTypes.ShortType, DataTypes.IntegerType);
          case INT64 ->
              List.of(
                  DataTypes.ByteType,
                  DataTypes.ShortType,
                  DataTypes.IntegerType,
                  DataTypes.LongType);
          case DOUBLE -> List.of(DataTypes.FloatType, DataTypes.DoubleType);
          default -> List.of(sparkType(type));
        };
    return ok.contains(found);
  }
}
