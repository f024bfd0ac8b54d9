package io.featureingest.job;

import io.featureingest.offline.OfflineStore;
import io.featureingest.online.Materialization;
import io.featureingest.online.OnlineStore;
import io.featureingest.registry.Registry;
import io.featureingest.spec.ConfigErrors;
import io.featureingest.spec.FeatureTable;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What materialize and materialize-incremental share: the read, the options, the store. */
final class Materializing {
  private static final Logger LOG = LoggerFactory.getLogger(Materializing.class);

  /** Registry state keys: the end of the last successful run, and when that run started. */
  static final String WATERMARK = "materialized_until";

  static final String LAST_RUN_STARTED = "last_run_started";

  /** Registry state key: the offline store's commit mark the last run read at, if it has one. */
  static final String LAST_COMMIT = "materialized_commit";

  /** Before the first run there is no watermark: everything up to --end (within max_age). */
  static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");

  /**
   * Late rows are those created after the previous run started minus this margin, which covers an
   * ingest that stamped its created time before that run began but committed after it read.
   */
  static final Duration DEFAULT_LATE_GRACE = Duration.ofHours(1);

  private final FeatureStore store;
  private final Registry registry;
  private final FeatureStore.Validation validation;
  private final FeatureStore.Run run;
  private final OnlineStore.Opener opener;

  Materializing(
      FeatureStore store,
      Registry registry,
      FeatureStore.Validation validation,
      FeatureStore.Run run) {
    this.store = store;
    this.registry = registry;
    this.validation = validation;
    this.run = run;
    this.opener = OnlineStores.opener(store.repo().onlineStore());
  }

  /** Event times in {@code [from, to)}. */
  MaterializeResult window(FeatureTable table, Instant from, Instant to) {
    Dataset<Row> window = OfflineStores.of(table, store.config()).read(store.spark(), from, to);
    return materialize(table, window, Optional.empty(), to, Optional.empty());
  }

  /** From the table's watermark to {@code to}, plus the late rows before it; then the watermark. */
  MaterializeResult incremental(FeatureTable table, Instant to) {
    var config = store.config();
    Duration grace =
        config.hasPath("materialize.late_grace")
            ? config.getDuration("materialize.late_grace")
            : DEFAULT_LATE_GRACE;
    SparkSession spark = store.spark();
    String name = table.name();
    Map<String, String> state = registry.state(name);
    Optional<Instant> watermark = Optional.ofNullable(state.get(WATERMARK)).map(Instant::parse);
    Instant oldest = table.maxAge().map(to::minus).orElse(EARLIEST);
    Instant from = watermark.orElse(oldest);
    if (from.isAfter(to)) {
      throw ConfigErrors.endBeforeWatermark(to.toString(), name, from);
    }
    OfflineStore offline = OfflineStores.of(table, config);
    // Taken before the reads: whatever commits after it is late for the next run.
    Optional<String> mark = offline.commitMark(spark);
    // Rows of [from, end): the new window; before it, down to end - max_age, the late rows.
    Dataset<Row> window =
        from.isBefore(to)
            ? offline.read(spark, from, to)
            : offline.read(spark, to, to.plusNanos(1000)).limit(0);
    Optional<Materialization.LateRows> late =
        lateRows(spark, offline, state, mark, oldest, from, grace);
    MaterializeResult result = materialize(table, window, late, to, Optional.of(to));
    Map<String, String> next = new java.util.LinkedHashMap<>();
    next.put(WATERMARK, to.toString());
    next.put(LAST_RUN_STARTED, run.started().toString());
    mark.ifPresent(m -> next.put(LAST_COMMIT, m));
    registry.updateState(name, next);
    return result;
  }

  /**
   * The rows of {@code [oldest, from)} that arrived after the last run read the store: exactly
   * those of the commits since its mark when the store keeps a commit history; else those created
   * after the last run started, less {@code grace}. None before a first run.
   */
  static Optional<Materialization.LateRows> lateRows(
      SparkSession spark,
      OfflineStore store,
      Map<String, String> state,
      Optional<String> mark,
      Instant oldest,
      Instant from,
      Duration grace) {
    if (!state.containsKey(WATERMARK) || !oldest.isBefore(from)) {
      return Optional.empty();
    }
    if (mark.isPresent() && state.containsKey(LAST_COMMIT)) {
      Dataset<Row> committed =
          store.readCommitted(spark, state.get(LAST_COMMIT), mark.get(), oldest, from);
      // Every row the commits added is late: all are created after EARLIEST (a row without a
      // created timestamp is left out, as on the other path).
      return Optional.of(new Materialization.LateRows(committed, EARLIEST));
    }
    if (!state.containsKey(LAST_RUN_STARTED)) {
      return Optional.empty();
    }
    Instant lastStart = Instant.parse(state.get(LAST_RUN_STARTED));
    return Optional.of(
        new Materialization.LateRows(store.read(spark, oldest, from), lastStart.minus(grace)));
  }

  private MaterializeResult materialize(
      FeatureTable table,
      Dataset<Row> window,
      Optional<Materialization.LateRows> late,
      Instant end,
      Optional<Instant> watermark) {
    Materialization.Options options =
        new Materialization.Options(
            end,
            validation.allowMissingFeatures(),
            validation.threshold(store.config()),
            store.quarantineBase(),
            run.id(),
            run.started(),
            store.repo().onlineStore().batchSize());
    Materialization.Result r = Materialization.run(table, window, late, options, opener);
    LOG.info(
        "materialized {}: {} rows read, {} quarantined, {} stale, {} written, {} not newer",
        table.name(),
        r.rowsRead(),
        r.rowsQuarantined(),
        r.rowsSkippedStale(),
        r.rowsWritten(),
        r.rowsNotNewer());
    return new MaterializeResult(
        table.name(), r, store.repo().onlineStore().describe(), watermark, late.isPresent());
  }
}
