package io.featureingest.job;

import com.typesafe.config.Config;
import io.featureingest.ingest.IngestOptions;
import io.featureingest.ingest.IngestResult;
import io.featureingest.ingest.Ingestion;
import io.featureingest.join.FeatureRef;
import io.featureingest.join.JoinOptions;
import io.featureingest.offline.BigQueryOptions;
import io.featureingest.online.OnlineFeatures;
import io.featureingest.online.OnlineStore;
import io.featureingest.online.OnlineTable;
import io.featureingest.spec.ConfigErrors;
import io.featureingest.spec.ConfigLoader;
import io.featureingest.spec.FeatureRepo;
import io.featureingest.spec.FeatureTable;
import io.featureingest.stream.Push;
import java.io.File;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The Java API of the data plane; every command is a thin adapter over it. Each call is one run
 * with a run id of its own (naming its quarantine folder) and answers the record that the command's
 * run summary prints.
 *
 * <pre>{@code
 * try (FeatureStore store = FeatureStore.open(new File("conf/feature_repo.conf"))) {
 *   IngestResult in = store.ingest("driver_trips", trips);
 *   List<MaterializeResult> out =
 *       store.materialize(List.of("driver_trips"), Instant.parse("2021-04-01T00:00:00Z"), now);
 *   Push.Result pushed = store.push("driver_trips", latestEvents);
 *   RetrieveResult training =
 *       store.retrieve(entityRows, "driver_trips:driver_rating", "out/training", "parquet");
 *   List<OnlineFeatures.Row> served =
 *       store.onlineGet("driver_trips", List.of(List.of(1001L)), null, Instant.now());
 * }
 * }</pre>
 *
 * Spark: the session running in the caller's process (a notebook, a stream's foreachBatch), else
 * one the store starts and stops on {@link #close}.
 */
public final class FeatureStore implements AutoCloseable {
  private final JobContext context;
  private final boolean ownsContext;

  private FeatureStore(JobContext context, boolean ownsContext) {
    this.context = context;
    this.ownsContext = ownsContext;
  }

  /** A resolved config, as {@link ConfigLoader#load} gives. */
  public static FeatureStore open(Config config) {
    return new FeatureStore(JobContext.of("api", config), true);
  }

  /** The config file with the project's defaults under it, plus {@code key=value} overrides. */
  public static FeatureStore open(File configFile, String... overrides) {
    return open(ConfigLoader.load(configFile, List.of(overrides)));
  }

  /** The store of one command run: its calls share the command's run id and summary. */
  static FeatureStore of(JobContext context) {
    return new FeatureStore(context, false);
  }

  /** How a call validates rows: the threshold (empty: the config's) and missing features. */
  public record Validation(OptionalDouble maxInvalidFraction, boolean allowMissingFeatures) {
    /** The config's threshold ({@code validation.max_invalid_fraction}, default 0), strict. */
    public static Validation defaults() {
      return new Validation(OptionalDouble.empty(), false);
    }

    public Validation withMaxInvalidFraction(double fraction) {
      return new Validation(OptionalDouble.of(fraction), allowMissingFeatures);
    }

    public Validation allowingMissingFeatures(boolean allow) {
      return new Validation(maxInvalidFraction, allow);
    }

    double threshold(Config config) {
      return ValidationOptions.threshold(
          maxInvalidFraction.isPresent() ? maxInvalidFraction.getAsDouble() : null, config);
    }
  }

  /** The applied spec from the registry, else the one in the config. */
  public FeatureTable table(String name) {
    return context.table(name);
  }

  public Config config() {
    return context.config();
  }

  public FeatureRepo repo() {
    return context.repo();
  }

  /** {@code rows} into the table's batch source, as {@code ingest} does. */
  public IngestResult ingest(String table, Dataset<Row> rows) {
    return ingest(table, rows, Validation.defaults(), false);
  }

  /** {@code dedup}: a Delta MERGE keeping one row per (entity key, event timestamp). */
  public IngestResult ingest(
      String table, Dataset<Row> rows, Validation validation, boolean dedup) {
    FeatureTable spec = table(table);
    Run run = run();
    IngestOptions options =
        new IngestOptions(
            validation.allowMissingFeatures(),
            validation.threshold(config()),
            dedup,
            quarantineBase(),
            run.id(),
            run.started());
    return Ingestion.ingest(spark(), spec, rows, options, OfflineStores.of(spec, config()));
  }

  /** Event times in {@code [start, end)} from the offline store to the online store. */
  public List<MaterializeResult> materialize(
      List<String> tables, Instant start, Instant end, Validation validation) {
    if (!start.isBefore(end)) {
      throw ConfigErrors.startNotBeforeEnd("--start", start, "--end", end);
    }
    Materializing run = materializing(validation);
    List<MaterializeResult> results = new ArrayList<>();
    for (String name : tables) {
      results.add(run.window(table(name), start, end));
    }
    return results;
  }

  /** From where the last run of each table stopped up to {@code end}, late rows included. */
  public List<MaterializeResult> materializeIncremental(
      List<String> tables, Instant end, Validation validation) {
    Materializing run = materializing(validation);
    List<MaterializeResult> results = new ArrayList<>();
    for (String name : tables) {
      results.add(run.incremental(table(name), end));
    }
    return results;
  }

  /** Rows straight to the online store, newer wins: Feast's {@code write_to_online_store}. */
  public Push.Result push(String table, Dataset<Row> rows, Validation validation) {
    FeatureTable t = table(table);
    Push.Settings settings =
        pushSettings(
            config(), repo(), validation.threshold(config()), validation.allowMissingFeatures());
    return Push.write(t, rows, settings, run().id());
  }

  /** {@link #push} with the config's threshold: a stream processor's foreachBatch call. */
  public Push.Result writeToOnlineStore(String table, Dataset<Row> rows) {
    return push(table, rows, Validation.defaults());
  }

  /** The point-in-time join, lazy: entity rows with {@code table__feature} columns. */
  public Dataset<Row> trainingSet(Dataset<Row> entityRows, String features, JoinOptions options) {
    return TrainingSets.retrieve(spark(), entityRows, refs(features), this::table, options);
  }

  /**
   * The training set written to {@code output} as {@code format} (parquet, csv, delta, bigquery),
   * with the stored rows that took no part counted.
   */
  public RetrieveResult retrieve(
      Dataset<Row> entityRows, String features, String output, String format) {
    return retrieve(entityRows, features, JoinOptions.defaults(), output, format);
  }

  public RetrieveResult retrieve(
      Dataset<Row> entityRows, String features, JoinOptions options, String output, String format) {
    List<FeatureRef> refs = refs(features);
    Dataset<Row> training = TrainingSets.retrieve(spark(), entityRows, refs, this::table, options);
    long rows =
        TrainingSetFiles.write(training, output, format, BigQueryOptions.Defaults.from(config()));
    return new RetrieveResult(
        rows,
        output,
        refs.stream().map(FeatureRef::column).toList(),
        TrainingSets.storedRowsLeftOut(spark(), refs, this::table));
  }

  /** Entity rows from a path (parquet, csv, delta), {@code bq:TABLE} or {@code sql:QUERY}. */
  public Dataset<Row> entityRows(String source, String timestampColumn) {
    return TrainingSetFiles.entities(
        spark(), source, timestampColumn, BigQueryOptions.Defaults.from(config()));
  }

  /**
   * The served values of {@code keys} (entity values in the table's order), judged at {@code at}.
   */
  public List<OnlineFeatures.Row> onlineGet(
      String table, List<List<Object>> keys, List<String> features, Instant at) {
    OnlineTable online = OnlineTable.of(table(table));
    try (OnlineStore store = OnlineStores.opener(repo().onlineStore()).open()) {
      return OnlineFeatures.get(store, online, keys, features, at);
    }
  }

  @Override
  public void close() {
    if (ownsContext) {
      context.close();
    }
  }

  /** The online write settings of a config: store, batch size, quarantine base, threshold. */
  static Push.Settings pushSettings(
      Config config, FeatureRepo repo, double maxInvalidFraction, boolean allowMissingFeatures) {
    OnlineStore.Opener opener = OnlineStores.opener(repo.onlineStore());
    return new Push.Settings(
        opener,
        repo.onlineStore().batchSize(),
        quarantineBase(config),
        maxInvalidFraction,
        allowMissingFeatures);
  }

  SparkSession spark() {
    return context.spark();
  }

  /** One call's run id and start: the command's when a command runs, else a new one per call. */
  record Run(String id, Instant started) {}

  Run run() {
    return ownsContext
        ? new Run(java.util.UUID.randomUUID().toString(), Instant.now())
        : new Run(context.summary().runId(), context.summary().started());
  }

  Optional<String> quarantineBase() {
    return quarantineBase(config());
  }

  private static Optional<String> quarantineBase(Config config) {
    return config.hasPath("validation.quarantine_path")
        ? Optional.of(config.getString("validation.quarantine_path")).filter(s -> !s.isBlank())
        : Optional.empty();
  }

  private Materializing materializing(Validation validation) {
    return new Materializing(this, context.registry(), validation, run());
  }

  private List<FeatureRef> refs(String features) {
    return TrainingSets.parseFeatures(features, repo().featureLists());
  }
}
