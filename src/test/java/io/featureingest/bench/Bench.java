package io.featureingest.bench;

import io.featureingest.spec.TreeWriter;
import java.util.Locale;
import java.util.Map;

/**
 * Entry point of {@code scripts/bench NAME}: runs {@code <Name>Bench}, whose {@code run(String[])}
 * returns the figures, and prints them as one JSON line on stdout.
 */
public final class Bench {
  private Bench() {}

  public static void main(String[] args) throws Exception {
    String name = args[0].toLowerCase(Locale.ROOT);
    String cls =
        Bench.class.getPackageName()
            + "."
            + Character.toUpperCase(name.charAt(0))
            + name.substring(1)
            + "Bench";
    Class<?> bench;
    try {
      bench = Class.forName(cls);
    } catch (ClassNotFoundException e) {
      System.err.println("bench: unknown benchmark '" + name + "' (no class " + cls + ")");
      System.exit(2);
      return;
    }
    String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
    @SuppressWarnings("unchecked")
    Map<String, Object> figures =
        (Map<String, Object>) bench.getMethod("run", String[].class).invoke(null, (Object) rest);
    System.out.println(TreeWriter.jsonLine(figures));
    System.exit(0);
  }
}
