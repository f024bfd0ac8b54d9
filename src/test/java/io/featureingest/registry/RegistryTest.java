package io.featureingest.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.featureingest.spec.ConfigException;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.SpecParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryTest {
  @TempDir Path dir;

  static FeatureTable table(String name, String entityType, String... features) {
    StringBuilder f = new StringBuilder();
    for (String feature : features) {
      f.append(f.length() == 0 ? "" : ", ")
          .append("{ name = ")
          .append(feature)
          .append(", type = FLOAT }");
    }
    return SpecParser.parseTable(
        name,
        ConfigFactory.parseString(
            "entities = [ { name = driver_id, type = "
                + entityType
                + " } ]\n"
                + "features = [ "
                + f
                + " ]\nmax_age = 2d\n"
                + "batch_source { type = file, format = parquet, path = \"/data/"
                + name
                + "\", event_timestamp_column = ts }"));
  }

  private Registry registryAt(Instant now) {
    return new Registry(
        new RegistryFiles(dir.toUri().toString(), new Configuration()),
        Clock.fixed(now, ZoneOffset.UTC));
  }

  @Test
  void appliesUpdatesListsAndDeletesKeepingMeta() {
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    Instant t1 = Instant.parse("2026-01-02T00:00:00Z");
    assertThat(registryAt(t0).apply(table("trips", "INT64", "a"), false))
        .isEqualTo(Registry.Outcome.CREATED);
    assertThat(registryAt(t0).apply(table("riders", "STRING", "b"), false))
        .isEqualTo(Registry.Outcome.CREATED);
    assertThat(registryAt(t1).apply(table("trips", "INT64", "a"), false))
        .isEqualTo(Registry.Outcome.UNCHANGED);
    assertThat(registryAt(t1).apply(table("trips", "INT64", "a", "b"), false))
        .isEqualTo(Registry.Outcome.UPDATED);

    RegisteredTable trips = registryAt(t1).get("trips").orElseThrow();
    assertThat(trips.table()).isEqualTo(table("trips", "INT64", "a", "b"));
    assertThat(trips.createdTimestamp()).isEqualTo(t0);
    assertThat(trips.lastUpdatedTimestamp()).isEqualTo(t1);
    assertThat(registryAt(t1).list())
        .extracting(t -> t.table().name())
        .containsExactly("riders", "trips");

    @SuppressWarnings("unchecked")
    Map<String, Object> meta = (Map<String, Object>) trips.describe().get("meta");
    assertThat(meta).containsEntry("created_timestamp", "2026-01-01T00:00:00Z");

    assertThat(registryAt(t1).delete("trips")).isTrue();
    assertThat(registryAt(t1).delete("trips")).isFalse();
    assertThat(registryAt(t1).get("trips")).isEmpty();
  }

  @Test
  void refusesAnEntityChangeUnlessForced() {
    Registry registry = registryAt(Instant.now());
    registry.apply(table("trips", "INT64", "a"), false);
    assertThatThrownBy(() -> registry.apply(table("trips", "STRING", "a"), false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("entity 'driver_id' changes type from INT64 to STRING");
    assertThat(registry.get("trips").orElseThrow().table().entities().get(0).type().name())
        .isEqualTo("INT64");
    assertThat(registry.apply(table("trips", "STRING", "a"), true))
        .isEqualTo(Registry.Outcome.UPDATED);
  }

  @Test
  void keepsRunState() {
    Registry registry = registryAt(Instant.now());
    registry.updateState("trips", Map.of("materialized_until", "2026-01-01T00:00:00Z"));
    registry.updateState("trips", Map.of("last_run", "r1"));
    assertThat(registry.state("trips"))
        .containsEntry("materialized_until", "2026-01-01T00:00:00Z")
        .containsEntry("last_run", "r1");
  }

  @Test
  void aCrashBeforeTheRenameLeavesTheOldDocumentWhole() throws Exception {
    RegistryFiles files = new RegistryFiles(dir.toUri().toString(), new Configuration());
    Registry registry = new Registry(files, Clock.systemUTC());
    registry.apply(table("trips", "INT64", "a"), false);
    files.beforeRename =
        () -> {
          throw new IllegalStateException("simulated crash between write and rename");
        };
    assertThatThrownBy(() -> registry.apply(table("trips", "INT64", "a", "b"), false))
        .hasMessageContaining("simulated crash");
    files.beforeRename = () -> {};
    // the temporary file stays behind, as after a real crash; readers ignore it
    try (var leftovers = Files.list(dir.resolve("tables"))) {
      assertThat(leftovers.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(".tmp"));
    }
    assertThat(registry.get("trips").orElseThrow().table()).isEqualTo(table("trips", "INT64", "a"));
    assertThat(registry.list()).hasSize(1);
    // and the lock was released: the next apply goes through
    assertThat(registry.apply(table("trips", "INT64", "a", "b"), false))
        .isEqualTo(Registry.Outcome.UPDATED);
  }

  @Test
  void aDamagedDocumentIsReportedNotMisread() throws Exception {
    Registry registry = registryAt(Instant.now());
    registry.apply(table("trips", "INT64", "a"), false);
    Files.writeString(dir.resolve("tables/trips.json"), "{ \"name\": \"trips\", \"spec\": ");
    assertThatThrownBy(() -> registry.get("trips"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("is damaged")
        .hasMessageContaining("apply --force");
  }

  @Test
  void concurrentAppliesNeverCorruptTheRegistry() throws Exception {
    int writers = 8;
    int rounds = 15;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch start = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Future<?>> futures = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int writer = w;
      futures.add(
          pool.submit(
              () -> {
                try {
                  start.await();
                  for (int r = 0; r < rounds; r++) {
                    // each writer has its own Registry object, as separate processes would
                    Registry own = new Registry(dir.toUri().toString(), new Configuration());
                    own.apply(table("shared", "INT64", "f" + writer, "g" + r), false);
                    assertThat(own.get("shared")).isPresent();
                  }
                } catch (Throwable t) {
                  failure.compareAndSet(null, t);
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();
    assertThat(failure.get()).isNull();
    Registry registry = new Registry(dir.toUri().toString(), new Configuration());
    RegisteredTable shared = registry.get("shared").orElseThrow();
    assertThat(shared.table().featureNames()).hasSize(2);
    assertThat(shared.createdTimestamp()).isBeforeOrEqualTo(shared.lastUpdatedTimestamp());
    assertThat(registry.list()).hasSize(1);
    try (var locks = Files.list(dir.resolve("locks"))) {
      assertThat(locks.filter(p -> p.toString().endsWith(".lock"))).isEmpty();
    }
  }
}
