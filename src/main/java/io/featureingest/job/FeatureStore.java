package io.featureingest.job;

import com.typesafe.config.Config;
import io.featureingest.online.OnlineStore;
import io.featureingest.registry.Registry;
import io.featureingest.spec.ConfigErrors;
import io.featureingest.spec.ConfigLoader;
import io.featureingest.spec.FeatureRepo;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.SpecParser;
import io.featureingest.stream.Push;
import java.io.File;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The Java API for Spark jobs that hold a {@code Dataset<Row>} of feature rows, such as a stream
 * processor's foreachBatch: Feast's {@code store.write_to_online_store(table, dataframe)}.
 *
 * <pre>{@code
 * FeatureStore store = FeatureStore.open(new File("conf/feature_repo.conf"));
 * Push.Result r = store.writeToOnlineStore("driver_trips", events);
 * }</pre>
 *
 * The rows carry the table's entity and feature names and its batch source's event (and created)
 * timestamp columns; they are validated, invalid ones quarantined, and the latest row per key
 * written newer-wins, as {@code push} does.
 */
public final class FeatureStore {
  private final Config config;
  private final FeatureRepo repo;

  private FeatureStore(Config config) {
    this.config = config;
    this.repo = SpecParser.parseRepo(config);
  }

  /** A resolved config, as {@link ConfigLoader#load} gives. */
  public static FeatureStore open(Config config) {
    return new FeatureStore(config);
  }

  /** The config file with the project's defaults under it, plus {@code key=value} overrides. */
  public static FeatureStore open(File configFile, String... overrides) {
    return new FeatureStore(ConfigLoader.load(configFile, List.of(overrides)));
  }

  /** The applied spec from the registry, else the one in the config. */
  public FeatureTable table(String name, org.apache.hadoop.conf.Configuration hadoop) {
    Optional<FeatureTable> applied =
        new Registry(repo.registryPath(), hadoop).get(name).map(r -> r.table());
    return applied
        .or(() -> repo.table(name))
        .orElseThrow(
            () ->
                ConfigErrors.unknownTable(
                    name,
                    java.util.stream.Stream.concat(
                            repo.tables().keySet().stream(),
                            new Registry(repo.registryPath(), hadoop)
                                .list().stream().map(r -> r.table().name()))
                        .toList(),
                    repo.registryPath()));
  }

  public Push.Result writeToOnlineStore(String table, Dataset<Row> rows) {
    FeatureTable t = table(table, rows.sparkSession().sparkContext().hadoopConfiguration());
    return Push.write(t, rows, pushSettings(config, repo, null, false));
  }

  /** The online write settings of a config: store, batch size, quarantine base, threshold. */
  static Push.Settings pushSettings(
      Config config, FeatureRepo repo, Double maxInvalidFraction, boolean allowMissingFeatures) {
    OnlineStore.Opener opener = OnlineStores.opener(repo.onlineStore());
    Optional<String> quarantine =
        config.hasPath("validation.quarantine_path")
            ? Optional.of(config.getString("validation.quarantine_path")).filter(s -> !s.isBlank())
            : Optional.empty();
    double threshold =
        maxInvalidFraction != null
            ? maxInvalidFraction
            : config.hasPath("validation.max_invalid_fraction")
                ? config.getDouble("validation.max_invalid_fraction")
                : 0.0;
    return new Push.Settings(
        opener, repo.onlineStore().batchSize(), quarantine, threshold, allowMissingFeatures);
  }
}
