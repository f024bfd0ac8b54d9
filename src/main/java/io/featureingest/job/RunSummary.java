package io.featureingest.job;

import io.featureingest.metrics.PipelineMetrics;
import io.featureingest.spec.TreeWriter;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a run did, printed as its last stdout line and written to {@code --summary} for Airflow's
 * XCom: command, run id, tables, row counts, outputs, duration.
 */
public final class RunSummary {
  private final String command;
  private final String runId = UUID.randomUUID().toString();
  private final long startNanos = System.nanoTime();
  private final Instant started = Instant.now();
  private final List<String> tables = new ArrayList<>();
  private final Map<String, Long> counts = new LinkedHashMap<>();
  private final Map<String, Object> extra = new LinkedHashMap<>();
  private final List<String> outputs = new ArrayList<>();
  private String currentTable;

  public RunSummary(String command) {
    this.command = command;
  }

  public String runId() {
    return runId;
  }

  public Instant started() {
    return started;
  }

  /** Names a table of the run; the counts that follow belong to it in the metrics. */
  public RunSummary table(String table) {
    if (!tables.contains(table)) {
      tables.add(table);
    }
    currentTable = table;
    return this;
  }

  /**
   * Adds to a counter such as rows_read, rows_valid, rows_quarantined, rows_written; the same
   * figure goes to the current table's metrics source (see {@link PipelineMetrics}).
   */
  public RunSummary count(String name, long value) {
    counts.merge(name, value, Long::sum);
    if (currentTable != null) {
      PipelineMetrics.count(currentTable, name, value);
    }
    return this;
  }

  public long count(String name) {
    return counts.getOrDefault(name, 0L);
  }

  public RunSummary put(String key, Object value) {
    extra.put(key, value);
    return this;
  }

  public RunSummary output(String output) {
    outputs.add(output);
    return this;
  }

  public Map<String, Object> toMap(String status) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("command", command);
    m.put("status", status);
    m.put("run_id", runId);
    m.put("tables", List.copyOf(tables));
    m.putAll(counts);
    m.putAll(extra);
    m.put("outputs", List.copyOf(outputs));
    m.put("started", started.toString());
    m.put("duration_ms", (System.nanoTime() - startNanos) / 1_000_000);
    return m;
  }

  /** Prints the summary line (when {@code print}) and writes it to {@code file} when given. */
  public void emit(String status, File file, boolean print) {
    String line = TreeWriter.jsonLine(toMap(status));
    if (print) {
      System.out.println(line);
    }
    if (file != null) {
      try {
        File parent = file.getAbsoluteFile().getParentFile();
        if (parent != null) {
          parent.mkdirs();
        }
        Files.writeString(file.toPath(), line + "\n", StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "--summary " + file + ": cannot write: " + e.getMessage(), e);
      }
    }
  }
}
