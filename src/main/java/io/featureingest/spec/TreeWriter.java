package io.featureingest.spec;

import java.util.List;
import java.util.Map;

/** Renders trees of maps, lists and scalars as JSON or YAML, keeping the maps' key order. */
public final class TreeWriter {
  private TreeWriter() {}

  /** Pretty JSON with two-space indents. */
  public static String json(Object tree) {
    StringBuilder out = new StringBuilder();
    json(tree, out, "");
    return out.toString();
  }

  /** One-line JSON, for run summaries. */
  public static String jsonLine(Object tree) {
    // Raw newlines only occur between tokens (strings escape theirs), so folding them is safe.
    return json(tree).replaceAll("\\n\\s*", "");
  }

  private static void json(Object v, StringBuilder out, String indent) {
    if (v instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        out.append("{}");
        return;
      }
      out.append("{\n");
      int i = 0;
      for (var e : map.entrySet()) {
        out.append(indent).append("  ").append(quote(String.valueOf(e.getKey()))).append(": ");
        json(e.getValue(), out, indent + "  ");
        out.append(++i < map.size() ? ",\n" : "\n");
      }
      out.append(indent).append('}');
    } else if (v instanceof List<?> list) {
      if (list.isEmpty()) {
        out.append("[]");
        return;
      }
      out.append("[\n");
      for (int i = 0; i < list.size(); i++) {
        out.append(indent).append("  ");
        json(list.get(i), out, indent + "  ");
        out.append(i + 1 < list.size() ? ",\n" : "\n");
      }
      out.append(indent).append(']');
    } else if (v == null) {
      out.append("null");
    } else if (v instanceof Number || v instanceof Boolean) {
      out.append(v);
    } else {
      out.append(quote(String.valueOf(v)));
    }
  }

  public static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /** Block-style YAML; strings are quoted whenever YAML could read them as something else. */
  public static String yaml(Object tree) {
    StringBuilder out = new StringBuilder();
    yaml(tree, out, "");
    return out.toString();
  }

  private static void yaml(Object v, StringBuilder out, String indent) {
    if (v instanceof Map<?, ?> map) {
      for (var e : map.entrySet()) {
        out.append(indent).append(e.getKey()).append(':');
        Object child = e.getValue();
        if (isBlock(child)) {
          out.append('\n');
          yaml(child, out, indent + "  ");
        } else {
          out.append(' ').append(scalar(child)).append('\n');
        }
      }
    } else if (v instanceof List<?> list) {
      for (Object item : list) {
        if (item instanceof Map<?, ?> m && !m.isEmpty()) {
          String nested = yaml(item).indent(indent.length() + 2);
          out.append(indent).append("- ").append(nested.substring(indent.length() + 2));
        } else if (isBlock(item)) {
          out.append(indent).append("-\n");
          yaml(item, out, indent + "  ");
        } else {
          out.append(indent).append("- ").append(scalar(item)).append('\n');
        }
      }
    } else {
      out.append(indent).append(scalar(v)).append('\n');
    }
  }

  private static boolean isBlock(Object v) {
    return (v instanceof Map<?, ?> m && !m.isEmpty()) || (v instanceof List<?> l && !l.isEmpty());
  }

  private static String scalar(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Map<?, ?>) {
      return "{}";
    }
    if (v instanceof List<?>) {
      return "[]";
    }
    if (v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    String s = v.toString();
    boolean plain =
        s.matches("[A-Za-z_][A-Za-z0-9_./\\-]*")
            && !s.matches("(?i)true|false|yes|no|on|off|null|~");
    return plain ? s : quote(s);
  }
}
