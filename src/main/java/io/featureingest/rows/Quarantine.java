package io.featureingest.rows;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.featureingest.spec.BatchSource;
import io.featureingest.spec.ConfigErrors;
import io.featureingest.spec.FileSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The dead-letter location of invalid rows (DESIGN rule 7) and how they are stored there; {@link
 * Validation} decides when they go there and applies the invalid-fraction threshold.
 *
 * <p>Location: {@code <validation.quarantine_path>/<table>/run=<run_id>} when configured, else
 * {@code <batch source path>/_quarantine/run=<run_id>} for file sources (Spark and Delta skip
 * folders starting with {@code _} when reading the table). Stored as Parquet: every original input
 * column as a string (nested values as JSON, bytes as base64), then {@code reason}, {@code run_id}
 * and {@code quarantined_at}.
 */
public final class Quarantine {
  public static final String RUN_ID = "run_id";
  public static final String QUARANTINED_AT = "quarantined_at";

  private Quarantine() {}

  /** Where this run's invalid rows go. */
  public static String location(
      Optional<String> configuredBase, String table, BatchSource source, String runId) {
    if (configuredBase.isPresent() && !configuredBase.get().isBlank()) {
      return stripSlash(configuredBase.get()) + "/" + table + "/run=" + runId;
    }
    if (source instanceof FileSource f) {
      return stripSlash(f.path()) + "/_quarantine/run=" + runId;
    }
    throw ConfigErrors.noDefaultLocation(
        table, "quarantine location", "set validation.quarantine_path");
  }

  /**
   * Writes {@code invalid} (original columns plus {@link Projection#REASON}) to {@code path} as
   * Parquet and answers how many rows it wrote.
   */
  public static long write(Dataset<Row> invalid, String path, String runId, Instant at) {
    Dataset<Row> rows = withStoredShape(invalid, runId, at);
    rows.write().mode("append").parquet(path);
    return invalid.sparkSession().read().parquet(path).where(col(RUN_ID).equalTo(runId)).count();
  }

  /** Every original column as text, then reason, run id and time. */
  public static Dataset<Row> withStoredShape(Dataset<Row> invalid, String runId, Instant at) {
    List<Column> out = new ArrayList<>();
    List<String> reserved = List.of(Projection.REASON, RUN_ID, QUARANTINED_AT);
    for (StructField f : invalid.schema().fields()) {
      if (f.name().equals(Projection.REASON)) {
        continue;
      }
      Column c = col(Projection.quote(f.name()));
      Column text =
          f.dataType() instanceof ArrayType
                  || f.dataType() instanceof MapType
                  || f.dataType() instanceof StructType
              ? org.apache.spark.sql.functions.to_json(c)
              : f.dataType() instanceof BinaryType
                  // base64() breaks lines every 76 characters (MIME), which strict decoders
                  // refuse; stored unbroken, as java.util.Base64.getEncoder() writes it.
                  ? org.apache.spark.sql.functions.translate(
                      org.apache.spark.sql.functions.base64(c), "\r\n", "")
                  : c.cast("string");
      // An input column called like ours keeps its value under input_<name>.
      String name =
          reserved.contains(f.name().toLowerCase(Locale.ROOT)) ? "input_" + f.name() : f.name();
      out.add(text.as(name));
    }
    out.add(col(Projection.REASON));
    out.add(lit(runId).as(RUN_ID));
    out.add(lit(at).as(QUARANTINED_AT));
    return invalid.select(out.toArray(Column[]::new));
  }

  private static String stripSlash(String path) {
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
