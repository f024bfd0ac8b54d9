package io.featureingest.job;

import com.typesafe.config.Config;
import io.featureingest.registry.Registry;
import io.featureingest.spec.ConfigErrors;
import io.featureingest.spec.ConfigLoader;
import io.featureingest.spec.FeatureRepo;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.SpecParser;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one command run works with: the resolved config, the feature repository, the registry, a
 * Spark session started only when the command needs one, and the run summary.
 */
public final class JobContext implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobContext.class);

  private final GlobalOptions options;
  private final RunSummary summary;
  private Config config;
  private FeatureRepo repo;
  private Registry registry;
  private SparkSession spark;
  private boolean ownsSpark;
  private FeatureStore store;

  public JobContext(String command, GlobalOptions options) {
    this.options = options;
    this.summary = new RunSummary(command);
  }

  /** A context over a resolved config, for the Java API. */
  static JobContext of(String command, Config config) {
    JobContext context = new JobContext(command, new GlobalOptions());
    context.config = config;
    return context;
  }

  /** The Java API over this run: its calls share the run id and the summary's start. */
  public FeatureStore store() {
    if (store == null) {
      store = FeatureStore.of(this);
    }
    return store;
  }

  public GlobalOptions options() {
    return options;
  }

  public RunSummary summary() {
    return summary;
  }

  public Config config() {
    if (config == null) {
      config = ConfigLoader.load(options.config(), options.overrides());
      if (LOG.isDebugEnabled()) {
        LOG.debug("resolved config:\n{}", ConfigLoader.describeMasked(config));
      }
    }
    return config;
  }

  public FeatureRepo repo() {
    if (repo == null) {
      repo = SpecParser.parseRepo(config());
    }
    return repo;
  }

  public Registry registry() {
    if (registry == null) {
      org.apache.hadoop.conf.Configuration hadoop =
          spark != null
              ? spark.sparkContext().hadoopConfiguration()
              : new org.apache.hadoop.conf.Configuration();
      registry = new Registry(repo().registryPath(), hadoop);
    }
    return registry;
  }

  /**
   * The table to run on: the applied spec from the registry, else the one declared in the config
   * (so a first run works before {@code apply}); an unknown name is a usage error.
   */
  public FeatureTable table(String name) {
    Optional<FeatureTable> applied = registry().get(name).map(r -> r.table());
    if (applied.isPresent()) {
      return applied.get();
    }
    return repo()
        .table(name)
        .orElseThrow(() -> ConfigErrors.unknownTable(name, knownTables(), registry().path()));
  }

  private java.util.Set<String> knownTables() {
    java.util.Set<String> names = new java.util.TreeSet<>(repo().tables().keySet());
    registry().list().forEach(t -> names.add(t.table().name()));
    return names;
  }

  public SparkSession spark() {
    if (spark == null) {
      // A session that was already running belongs to whoever started it (a test, a host app).
      ownsSpark = SparkSession.getDefaultSession().isEmpty();
      spark = SparkSessions.create(config(), summary);
    }
    return spark;
  }

  @Override
  public void close() {
    if (spark != null && ownsSpark) {
      spark.stop();
    }
  }
}
