package io.featureingest.registry;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.featureingest.spec.ConfigErrors;
import io.featureingest.spec.ConfigException;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.SpecDocument;
import io.featureingest.spec.SpecParser;
import io.featureingest.spec.StoreErrors;
import io.featureingest.spec.StoreUnavailableException;
import io.featureingest.spec.TreeWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * The applied specs, one JSON document per table under {@code <path>/tables/}, and per-table run
 * state (materialization watermarks) under {@code <path>/state/}, on any Hadoop file system.
 *
 * <p>Every write goes to a temporary file first and is renamed over the old one, so a reader sees
 * the old document or the new one, never half of either; a lock per table serialises concurrent
 * applies so that a compatibility check and the write that follows it cannot interleave.
 */
public final class Registry {
  private final RegistryFiles files;
  private final Clock clock;

  public Registry(String path, Configuration hadoopConf) {
    this(new RegistryFiles(path, hadoopConf), Clock.systemUTC());
  }

  Registry(RegistryFiles files, Clock clock) {
    this.files = files;
    this.clock = clock;
  }

  public String path() {
    return files.root().toString();
  }

  public enum Outcome {
    CREATED,
    UPDATED,
    UNCHANGED
  }

  /** Registers or updates a table, refusing an entity change unless {@code force}. */
  public Outcome apply(FeatureTable table, boolean force) {
    return files.withLock(
        table.name(),
        () -> {
          Optional<RegisteredTable> existing = get(table.name());
          Instant now = clock.instant();
          if (existing.isEmpty()) {
            write(new RegisteredTable(table, now, now));
            return Outcome.CREATED;
          }
          RegisteredTable before = existing.get();
          if (SpecDocument.of(before.table()).equals(SpecDocument.of(table))) {
            return Outcome.UNCHANGED;
          }
          Optional<ConfigException> conflict = before.table().incompatibleChange(table);
          if (conflict.isPresent() && !force) {
            throw conflict.get();
          }
          write(new RegisteredTable(table, before.createdTimestamp(), now));
          return Outcome.UPDATED;
        });
  }

  public Optional<RegisteredTable> get(String name) {
    return files.read(tableFile(name)).map(text -> parse(name, text));
  }

  /**
   * The applied tables, by name. Leftovers of interrupted writes are not tables and are skipped.
   */
  public List<RegisteredTable> list() {
    List<RegisteredTable> out = new ArrayList<>();
    for (FileStatus status : files.listJson(new Path(files.root(), "tables"))) {
      String file = status.getPath().getName();
      get(file.substring(0, file.length() - ".json".length())).ifPresent(out::add);
    }
    out.sort(java.util.Comparator.comparing(t -> t.table().name()));
    return out;
  }

  /** Removes a table and its run state; false when it was not registered. */
  public boolean delete(String name) {
    return files.withLock(
        name,
        () -> {
          boolean existed = files.delete(tableFile(name));
          files.delete(stateFile(name));
          return existed;
        });
  }

  /** A table's run state (for example the materialization watermark); empty when none. */
  public Map<String, String> state(String table) {
    Map<String, String> out = new LinkedHashMap<>();
    files
        .read(stateFile(table))
        .ifPresent(
            text ->
                ConfigFactory.parseString(text)
                    .entrySet()
                    .forEach(e -> out.put(e.getKey(), String.valueOf(e.getValue().unwrapped()))));
    return out;
  }

  /** Merges {@code values} into a table's run state, atomically. */
  public void updateState(String table, Map<String, String> values) {
    files.withLock(
        table,
        () -> {
          Map<String, Object> merged = new java.util.TreeMap<>(state(table));
          merged.putAll(values);
          files.writeAtomically(
              stateFile(table), TreeWriter.json(merged).getBytes(StandardCharsets.UTF_8));
          return null;
        });
  }

  private void write(RegisteredTable registered) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("name", registered.table().name());
    doc.put("spec", SpecDocument.of(registered.table()));
    doc.put("created_timestamp", registered.createdTimestamp().toString());
    doc.put("last_updated_timestamp", registered.lastUpdatedTimestamp().toString());
    files.writeAtomically(
        tableFile(registered.table().name()),
        TreeWriter.json(doc).getBytes(StandardCharsets.UTF_8));
  }

  private RegisteredTable parse(String name, String text) {
    try {
      Config doc = ConfigFactory.parseString(text);
      return new RegisteredTable(
          SpecParser.parseTable(name, doc.getConfig("spec")),
          Instant.parse(doc.getString("created_timestamp")),
          Instant.parse(doc.getString("last_updated_timestamp")));
    } catch (com.typesafe.config.ConfigException | java.time.DateTimeException e) {
      throw ConfigErrors.registryDamaged(tableFile(name), e);
    }
  }

  private Path tableFile(String name) {
    checkName(name);
    return new Path(new Path(files.root(), "tables"), name + ".json");
  }

  private Path stateFile(String name) {
    checkName(name);
    return new Path(new Path(files.root(), "state"), name + ".json");
  }

  private static void checkName(String name) {
    if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw ConfigErrors.badName("table name", name);
    }
  }

  static UncheckedIOException unchecked(String what, IOException e) {
    return new UncheckedIOException(what + ": " + e.getMessage(), e);
  }

  static StoreUnavailableException unreachable(String what, IOException e) {
    return StoreErrors.registryDown(what, e);
  }
}
