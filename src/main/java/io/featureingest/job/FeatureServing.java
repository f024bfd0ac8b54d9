package io.featureingest.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import io.featureingest.online.OnlineStore;
import io.featureingest.registry.Registry;
import io.featureingest.serve.Catalog;
import io.featureingest.serve.FeatureServer;
import io.featureingest.spec.FeatureRepo;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.ServeConfig;
import io.featureingest.spec.SpecParser;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Starts the feature server for a resolved config, without Spark: the tables applied in the
 * registry (those only declared in the config too), the config's feature lists and push sources,
 * and the online store picked by {@link OnlineStores}, the one place that names concrete stores.
 *
 * <pre>{@code
 * try (FeatureServer server = FeatureServing.start(ConfigLoader.load(file, List.of()), null, 0)) {
 *   URI uri = server.uri();
 * }
 * }</pre>
 */
public final class FeatureServing {
  private FeatureServing() {}

  /** {@code host} and {@code port} override serve.host and serve.port when not null. */
  public static FeatureServer start(Config config, String host, Integer port) {
    ServeConfig serve = ServeConfig.parse(config);
    serve =
        serve.withAddress(host != null ? host : serve.host(), port != null ? port : serve.port());
    // A serving call fails over to 503 after serve.store_max_attempts; jobs keep their own.
    FeatureRepo repo =
        SpecParser.parseRepo(
            config.withValue(
                "online_store.max_attempts",
                ConfigValueFactory.fromAnyRef(serve.storeMaxAttempts())));
    Map<String, FeatureTable> tables = new LinkedHashMap<>(repo.tables());
    new Registry(repo.registryPath(), new org.apache.hadoop.conf.Configuration())
        .list()
        .forEach(applied -> tables.put(applied.table().name(), applied.table()));
    Catalog catalog = new Catalog(tables.values(), repo.featureLists(), serve.pushSources());
    OnlineStore.Opener opener = OnlineStores.opener(repo.onlineStore());
    return FeatureServer.start(catalog, opener, serve);
  }
}
