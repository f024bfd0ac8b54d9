package io.featureingest.rows;

import io.featureingest.spec.ValueType;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Lossless conversions from what an input holds to a spec type, as Spark SQL text so that list
 * elements convert inside {@code transform(...)} with the same rules. Each conversion gives the
 * converted value and, where a value can fail to convert, a condition that is true for the rows
 * whose non-null value did not convert exactly. Built on {@code try_cast}, which answers null
 * instead of truncating or throwing whatever {@code spark.sql.ansi.enabled} says.
 *
 * <p>Numeric epoch rule for timestamps: {@code |v| < 1e11} is seconds, {@code 1e11 <= |v| < 1e14}
 * is milliseconds, anything larger is invalid. 1e11 seconds is the year 5138; 1e11 milliseconds is
 * 1973-03-03, so milliseconds before that date are read as seconds.
 */
public final class Conversions {
  /** Epoch values at or above this (absolute) are milliseconds. */
  public static final double MILLIS_FROM = 1e11;

  /** Epoch values at or above this (absolute) are out of range. */
  public static final double EPOCH_LIMIT = 1e14;

  private static final String NUMBER = "'^\\\\s*[+-]?([0-9]+\\\\.?[0-9]*|\\\\.[0-9]+)\\\\s*$'";
  private static final String INTEGER = "'^\\\\s*[+-]?[0-9]+\\\\s*$'";

  private Conversions() {}

  /**
   * A converted value (SQL) and the condition (SQL, or null when the conversion cannot fail) under
   * which a non-null input did not convert without loss.
   */
  public record Converted(String value, String failed) {
    public boolean canFail() {
      return failed != null;
    }
  }

  /** Whether a column of type {@code found} can feed a column of spec type {@code expected}. */
  public static boolean supports(DataType found, ValueType expected) {
    if (expected.isList()) {
      return found instanceof ArrayType a && supports(a.elementType(), expected.elementType());
    }
    if (found instanceof ArrayType) {
      return false;
    }
    return switch (expected) {
      case INT32, INT64, DOUBLE, FLOAT -> isNumeric(found) || found instanceof StringType;
      case BOOL -> found instanceof BooleanType || found instanceof StringType;
      case STRING -> found instanceof StringType || isIntegral(found);
      case BYTES -> found instanceof BinaryType || found instanceof StringType;
      case UNIX_TIMESTAMP -> isTimestampLike(found);
      default -> false;
    };
  }

  /** Types an event or created timestamp may arrive as. */
  public static boolean isTimestampLike(DataType found) {
    return found instanceof TimestampType
        || found instanceof TimestampNTZType
        || found instanceof DateType
        || found instanceof StringType
        || isNumeric(found);
  }

  /**
   * Converts {@code ref} (a quoted column name or a lambda variable) of type {@code found} to
   * {@code expected}; call only when {@link #supports} is true.
   */
  public static Converted convert(String ref, DataType found, ValueType expected) {
    if (expected.isList()) {
      DataType element = ((ArrayType) found).elementType();
      Converted e = convert("_e", element, expected.elementType());
      String value =
          e.value().equals("_e") ? ref : "transform(" + ref + ", _e -> " + e.value() + ")";
      return new Converted(
          value, e.canFail() ? "exists(" + ref + ", _e -> " + e.failed() + ")" : null);
    }
    DataType target = SparkTypes.of(expected);
    if (found.sameType(target)) {
      return new Converted(ref, null);
    }
    if (expected == ValueType.UNIX_TIMESTAMP) {
      return timestamp(ref, found);
    }
    String type = target.sql();
    if (found instanceof StringType) {
      return fromString(ref, expected, type);
    }
    if (expected == ValueType.STRING || expected == ValueType.BYTES) {
      return new Converted("CAST(" + ref + " AS " + type + ")", null);
    }
    if (widens(found, target)) {
      return new Converted("CAST(" + ref + " AS " + type + ")", null);
    }
    String v = "try_cast(" + ref + " AS " + type + ")";
    if (expected == ValueType.FLOAT && isFractional(found)) {
      // A double is a float without loss when it prints the same as that float: 4.1 stays 4.1,
      // 0.30000000000000004 or 123456789.0 would change.
      return new Converted(
          v,
          "("
              + ref
              + " IS NOT NULL AND (CAST("
              + v
              + " AS STRING) <=> CAST(CAST("
              + ref
              + " AS DOUBLE) AS STRING)) = false)");
    }
    return new Converted(
        v,
        "("
            + ref
            + " IS NOT NULL AND ("
            + v
            + " IS NULL OR CAST("
            + v
            + " AS "
            + found.sql()
            + ") <> "
            + ref
            + "))");
  }

  private static Converted fromString(String ref, ValueType expected, String type) {
    return switch (expected) {
      case STRING -> new Converted(ref, null);
      case BYTES -> new Converted("CAST(" + ref + " AS BINARY)", null); // UTF-8 bytes
      case INT32, INT64 -> {
        String v =
            "CASE WHEN "
                + ref
                + " RLIKE "
                + INTEGER
                + " THEN try_cast(trim("
                + ref
                + ") AS "
                + type
                + ") END";
        yield new Converted(v, failedWhenNull(ref, v));
      }
      case FLOAT -> {
        String v = "try_cast(" + ref + " AS FLOAT)";
        String d = "try_cast(" + ref + " AS DOUBLE)";
        yield new Converted(
            v,
            "("
                + ref
                + " IS NOT NULL AND ("
                + v
                + " IS NULL OR CAST("
                + v
                + " AS STRING) <> CAST("
                + d
                + " AS STRING)))");
      }
      default -> {
        String v = "try_cast(" + ref + " AS " + type + ")";
        yield new Converted(v, failedWhenNull(ref, v));
      }
    };
  }

  /**
   * An instant from a timestamp, a date (midnight UTC), a string (ISO-8601 with or without zone,
   * {@code yyyy-MM-dd HH:mm:ss}; no zone means UTC, as the session is UTC; digits only: the numeric
   * epoch rule) or a number (the numeric epoch rule).
   */
  public static Converted timestamp(String ref, DataType found) {
    if (found instanceof TimestampType) {
      return new Converted(ref, null);
    }
    if (found instanceof TimestampNTZType || found instanceof DateType) {
      return new Converted("CAST(" + ref + " AS TIMESTAMP)", null);
    }
    if (found instanceof StringType) {
      String v =
          "CASE WHEN "
              + ref
              + " RLIKE "
              + NUMBER
              + " THEN "
              + epoch("try_cast(" + ref + " AS DOUBLE)", DataTypes.DoubleType)
              + " ELSE try_cast("
              + ref
              + " AS TIMESTAMP) END";
      return new Converted(v, failedWhenNull(ref, v));
    }
    String v = epoch(ref, found);
    return new Converted(v, failedWhenNull(ref, v));
  }

  private static String epoch(String ref, DataType found) {
    String scaled =
        isIntegral(found)
            ? "CASE WHEN abs("
                + ref
                + ") < 100000000000 THEN CAST("
                + ref
                + " AS BIGINT) * 1000000 WHEN abs("
                + ref
                + ") < 100000000000000 THEN CAST("
                + ref
                + " AS BIGINT) * 1000 END"
            : "CAST(round(CASE WHEN abs("
                + ref
                + ") < 1e11 THEN CAST("
                + ref
                + " AS DOUBLE) * 1e6 WHEN abs("
                + ref
                + ") < 1e14 THEN CAST("
                + ref
                + " AS DOUBLE) * 1e3 END) AS BIGINT)";
    return "timestamp_micros(" + scaled + ")";
  }

  private static String failedWhenNull(String ref, String value) {
    return "(" + ref + " IS NOT NULL AND " + value + " IS NULL)";
  }

  private static boolean widens(DataType from, DataType to) {
    int a = rank(from);
    int b = rank(to);
    if (a < 0 || b < 0) {
      return false;
    }
    if (to instanceof FloatType) {
      return a <= 2 || from instanceof FloatType; // byte, short; int needs 24 bits of mantissa
    }
    if (to instanceof DoubleType) {
      return a <= 3 || from instanceof FloatType; // up to int; long needs 53 bits
    }
    return isIntegral(from) && isIntegral(to) && a <= b;
  }

  private static int rank(DataType t) {
    if (t instanceof ByteType) return 1;
    if (t instanceof ShortType) return 2;
    if (t instanceof IntegerType) return 3;
    if (t instanceof LongType) return 4;
    if (t instanceof FloatType) return 5;
    if (t instanceof DoubleType) return 6;
    return -1;
  }

  static boolean isIntegral(DataType t) {
    return t instanceof ByteType
        || t instanceof ShortType
        || t instanceof IntegerType
        || t instanceof LongType;
  }

  private static boolean isFractional(DataType t) {
    return t instanceof FloatType || t instanceof DoubleType || t instanceof DecimalType;
  }

  private static boolean isNumeric(DataType t) {
    return isIntegral(t) || isFractional(t);
  }
}
