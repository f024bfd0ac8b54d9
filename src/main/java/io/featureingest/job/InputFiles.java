package io.featureingest.job;

import io.featureingest.spec.ConfigException;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads a command's {@code --input}: parquet, csv (header, every column a string, converted by the
 * projection), json or delta; without {@code --input-format}, from the file name, else parquet.
 */
final class InputFiles {
  private InputFiles() {}

  static Dataset<Row> read(SparkSession spark, String path, String format) {
    String f = format != null ? format.toLowerCase(Locale.ROOT) : fromName(path);
    return switch (f) {
      case "parquet" -> spark.read().parquet(path);
      case "csv" -> spark.read().option("header", "true").csv(path);
      case "json" -> spark.read().json(path);
      case "delta" -> spark.read().format("delta").load(path);
      default -> throw ConfigException.at("--input-format", "parquet, csv, json or delta", format);
    };
  }

  private static String fromName(String path) {
    String p = path.toLowerCase(Locale.ROOT);
    if (p.endsWith(".csv")) {
      return "csv";
    }
    if (p.endsWith(".json") || p.endsWith(".jsonl")) {
      return "json";
    }
    return "parquet";
  }
}
