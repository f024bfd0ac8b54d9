package io.featureingest.job;

import io.featureingest.offline.OfflineStore;
import io.featureingest.online.Materialization;
import io.featureingest.spec.ConfigException;
import io.featureingest.spec.FeatureTable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "materialize-incremental",
    mixinStandardHelpOptions = true,
    description =
        "Materialize from where the last run of each table stopped up to --end, late rows included.")
final class MaterializeIncrementalJob extends JobCommand {
  @Parameters(arity = "1..*", paramLabel = "TABLE")
  List<String> tables;

  @Option(
      names = "--end",
      required = true,
      paramLabel = "TS",
      description = "Exclusive end, ISO-8601 (UTC when no zone).")
  String end;

  @Mixin ValidationOptions validation;

  @Override
  String name() {
    return "materialize-incremental";
  }

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

  @Override
  void run(JobContext context) {
    Instant to = Timestamps.parse("--end", end);
    Duration grace =
        context.config().hasPath("materialize.late_grace")
            ? context.config().getDuration("materialize.late_grace")
            : DEFAULT_LATE_GRACE;
    Materializing run = new Materializing(context, validation);
    SparkSession spark = context.spark();
    for (String name : tables) {
      FeatureTable table = context.table(name);
      OfflineStore store = OfflineStores.of(table, context.config());
      // Taken before the reads: whatever commits after it is late for the next run.
      Optional<String> mark = store.commitMark(spark);
      Map<String, String> state = context.registry().state(name);
      Optional<Instant> watermark = Optional.ofNullable(state.get(WATERMARK)).map(Instant::parse);
      Instant oldest = table.maxAge().map(to::minus).orElse(EARLIEST);
      Instant from = watermark.orElse(oldest);
      if (from.isAfter(to)) {
        throw new ConfigException(
            "--end "
                + end
                + " is before table "
                + name
                + "'s watermark "
                + from
                + " (where its last materialize-incremental stopped); give a later --end, or"
                + " use materialize --start --end to re-materialize a past window");
      }
      // Rows of [from, end): the new window; before it, down to end - max_age, the late rows.
      Dataset<Row> window =
          from.isBefore(to)
              ? store.read(spark, from, to)
              : store.read(spark, to, to.plusNanos(1000)).limit(0);
      Optional<Materialization.LateRows> late =
          lateRows(spark, store, state, mark, oldest, from, grace);
      run.materialize(table, window, late, to);
      Map<String, String> next = new java.util.LinkedHashMap<>();
      next.put(WATERMARK, to.toString());
      next.put(LAST_RUN_STARTED, context.summary().started().toString());
      mark.ifPresent(m -> next.put(LAST_COMMIT, m));
      context.registry().updateState(name, next);
      context.summary().put("watermark_" + name, to.toString());
    }
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
}
