package io.featureingest.rows;

import io.featureingest.spec.ValueType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * The Spark type each value type is stored and processed as. {@code UNIX_TIMESTAMP} is a Spark
 * timestamp (an instant, UTC); a {@code _LIST} type is an array of its element type whose elements
 * may be null.
 */
public final class SparkTypes {
  private SparkTypes() {}

  public static DataType of(ValueType type) {
    if (type.isList()) {
      return DataTypes.createArrayType(of(type.elementType()), true);
    }
    return switch (type) {
      case BYTES -> DataTypes.BinaryType;
      case STRING -> DataTypes.StringType;
      case INT32 -> DataTypes.IntegerType;
      case INT64 -> DataTypes.LongType;
      case DOUBLE -> DataTypes.DoubleType;
      case FLOAT -> DataTypes.FloatType;
      case BOOL -> DataTypes.BooleanType;
      case UNIX_TIMESTAMP -> DataTypes.TimestampType;
      default -> throw new IllegalArgumentException("not a scalar type: " + type);
    };
  }

  /** How the spec type reads in messages: {@code INT64 (bigint)}. */
  public static String describe(ValueType type) {
    return type + " (" + of(type).simpleString() + ")";
  }
}
