package io.featureingest.serve;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.featureingest.spec.ValueType;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * JSON values to the online store's Java values of a spec type and back, with ingest's lossless
 * rules (rows/Conversions, here without Spark): a value converts only when nothing is lost, so
 * {@code 1.5} is no INT64 and {@code 0.1} no FLOAT ({@code 16777217} neither), numbers in strings
 * count, BYTES travel as base64, and timestamps are ISO-8601 (UTC when no zone is given, a space
 * for the {@code T} as pandas prints them) or epoch numbers: below 1e11 seconds, below 1e14
 * milliseconds.
 *
 * <p>Out, values are Feast's JSON (its proto_json): numbers, strings, booleans, base64 BYTES, lists
 * as arrays, and UNIX_TIMESTAMP as epoch seconds, Feast's {@code unix_timestamp_val} (the
 * sub-second part is dropped; online-get prints the whole instant).
 */
final class JsonValues {
  private static final Pattern INTEGER = Pattern.compile("\\s*[+-]?[0-9]+\\s*");
  private static final Pattern NUMBER =
      Pattern.compile("\\s*[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)\\s*");
  private static final double MILLIS_FROM = 1e11;
  private static final double EPOCH_LIMIT = 1e14;

  private JsonValues() {}

  /**
   * The value of {@code node} as {@code type}, null for JSON null; {@code code} and {@code field}
   * name the error when it does not convert.
   */
  static Object read(JsonNode node, ValueType type, String code, String field) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (type.isList()) {
      if (!node.isArray()) {
        throw wrong(code, field, type, node);
      }
      List<Object> out = new ArrayList<>(node.size());
      for (int i = 0; i < node.size(); i++) {
        out.add(read(node.get(i), type.elementType(), code, field + "[" + i + "]"));
      }
      return out;
    }
    Object v = scalar(node, type);
    if (v == null) {
      throw wrong(code, field, type, node);
    }
    return v;
  }

  /** The scalar, or null when {@code node} is not a {@code type} without loss. */
  private static Object scalar(JsonNode node, ValueType type) {
    return switch (type) {
      case INT32 -> {
        Long l = integral(node);
        yield l != null && l == (int) (long) l ? (Object) (int) (long) l : null;
      }
      case INT64 -> integral(node);
      case DOUBLE -> {
        if (node.isIntegralNumber()) {
          yield node.canConvertToLong() && (long) (double) node.longValue() == node.longValue()
              ? (Object) (double) node.longValue()
              : null;
        }
        yield number(node);
      }
      case FLOAT -> {
        Double d = node.isIntegralNumber() ? integralAsDouble(node) : number(node);
        if (d == null) {
          yield null;
        }
        float f = d.floatValue();
        // A double is a float without loss when the float prints as the same number (4.1 stays
        // 4.1; 0.1 + 0.2 or 16777217 would change), as ingest decides.
        yield Double.isNaN(d) || Double.parseDouble(Float.toString(f)) == d ? (Object) f : null;
      }
      case BOOL -> {
        if (node.isBoolean()) {
          yield node.booleanValue();
        }
        yield node.isTextual() ? bool(node.textValue()) : null;
      }
      case STRING -> {
        if (node.isTextual()) {
          yield node.textValue();
        }
        yield node.isIntegralNumber() ? node.asText() : null;
      }
      case BYTES -> {
        try {
          yield node.isTextual() ? Base64.getDecoder().decode(node.textValue()) : null;
        } catch (IllegalArgumentException notBase64) {
          yield null;
        }
      }
      case UNIX_TIMESTAMP -> instant(node);
      default -> throw new IllegalArgumentException("not a scalar type: " + type);
    };
  }

  private static Long integral(JsonNode node) {
    if (node.isIntegralNumber()) {
      return node.canConvertToLong() ? node.longValue() : null;
    }
    if (node.isFloatingPointNumber()) {
      double d = node.doubleValue();
      return d == Math.rint(d) && Math.abs(d) < 0x1p63 ? (long) d : null;
    }
    if (node.isTextual() && INTEGER.matcher(node.textValue()).matches()) {
      try {
        return Long.parseLong(node.textValue().trim());
      } catch (NumberFormatException tooLarge) {
        return null;
      }
    }
    return null;
  }

  private static Double integralAsDouble(JsonNode node) {
    Long l = integral(node);
    return l == null || (long) (float) (long) l != l ? null : (double) l;
  }

  private static Double number(JsonNode node) {
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isTextual()) {
      String t = node.textValue().trim();
      if (NUMBER.matcher(t).matches()) {
        return Double.parseDouble(t);
      }
      return switch (t) {
        case "NaN" -> Double.NaN;
        case "Infinity", "+Infinity" -> Double.POSITIVE_INFINITY;
        case "-Infinity" -> Double.NEGATIVE_INFINITY;
        default -> null;
      };
    }
    return null;
  }

  /** The strings Spark's cast to boolean takes. */
  private static Boolean bool(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "t", "true", "y", "yes", "1" -> Boolean.TRUE;
      case "f", "false", "n", "no", "0" -> Boolean.FALSE;
      default -> null;
    };
  }

  /** An instant from an ISO-8601 string (UTC without a zone) or an epoch number. */
  static Instant instant(JsonNode node) {
    if (node.isNumber()) {
      return epoch(node.doubleValue(), node.isIntegralNumber() ? node.longValue() : null);
    }
    if (!node.isTextual()) {
      return null;
    }
    String t = node.textValue().trim();
    if (NUMBER.matcher(t).matches()) {
      return INTEGER.matcher(t).matches() && t.length() < 19
          ? epoch(Double.parseDouble(t), Long.parseLong(t))
          : epoch(Double.parseDouble(t), null);
    }
    try {
      if (t.length() == 10) {
        return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      String iso = t.replace(' ', 'T');
      try {
        return OffsetDateTime.parse(iso).toInstant();
      } catch (DateTimeParseException noZone) {
        return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
      }
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Instant epoch(double d, Long exact) {
    double abs = Math.abs(d);
    if (abs >= EPOCH_LIMIT || Double.isNaN(d)) {
      return null;
    }
    if (exact != null) {
      return abs < MILLIS_FROM ? Instant.ofEpochSecond(exact) : Instant.ofEpochMilli(exact);
    }
    long micros = Math.round(abs < MILLIS_FROM ? d * 1e6 : d * 1e3);
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
  }

  private static BadRequest wrong(String code, String field, ValueType type, JsonNode node) {
    String shown = node.toString();
    if (shown.length() > 60) {
      shown = shown.substring(0, 57) + "...";
    }
    return new BadRequest(
        code,
        field,
        field
            + ": expected "
            + describe(type)
            + ", got "
            + shown
            + "; a value converts only when nothing is lost (see docs/serving.md#values)");
  }

  private static String describe(ValueType type) {
    return switch (type) {
      case BYTES -> "BYTES (a base64 string)";
      case UNIX_TIMESTAMP -> "UNIX_TIMESTAMP (ISO-8601 or epoch seconds)";
      default -> type + (type.isList() ? " (a JSON array)" : "");
    };
  }

  /** Writes a store value of {@code type} as Feast's JSON. */
  static void write(JsonGenerator out, Object v, ValueType type) throws IOException {
    if (v == null) {
      out.writeNull();
    } else if (v instanceof List<?> list) {
      out.writeStartArray();
      for (Object e : list) {
        write(out, e, type.elementType());
      }
      out.writeEndArray();
    } else if (v instanceof Long l) {
      out.writeNumber(l);
    } else if (v instanceof Integer i) {
      out.writeNumber(i);
    } else if (v instanceof Float f) {
      out.writeNumber(f); // its shortest form: 4.1, not 4.099999904632568; NaN as "NaN"
    } else if (v instanceof Double d) {
      out.writeNumber(d);
    } else if (v instanceof Boolean b) {
      out.writeBoolean(b);
    } else if (v instanceof String s) {
      out.writeString(s);
    } else if (v instanceof byte[] b) {
      out.writeString(Base64.getEncoder().encodeToString(b));
    } else if (v instanceof Instant t) {
      out.writeNumber(t.getEpochSecond());
    } else {
      out.writeString(v.toString());
    }
  }
}
