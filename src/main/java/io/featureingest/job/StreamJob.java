package io.featureingest.job;

import io.featureingest.spec.FeatureTable;
import io.featureingest.stream.BatchFigures;
import io.featureingest.stream.StreamPipeline;
import io.featureingest.stream.StreamSettings;
import java.util.Optional;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "stream",
    mixinStandardHelpOptions = true,
    description =
        "Run the table's stream source into the online store (and optionally the offline log).")
final class StreamJob extends JobCommand {
  private static final Logger LOG = LoggerFactory.getLogger(StreamJob.class);

  @Parameters(index = "0", paramLabel = "TABLE")
  String table;

  @Option(
      names = "--checkpoint",
      paramLabel = "URI",
      description = "Checkpoint location (default: stable per table).")
  String checkpoint;

  @Option(
      names = "--trigger",
      paramLabel = "INTERVAL",
      description = "Micro-batch interval, e.g. 10s.")
  String trigger;

  @Option(names = "--available-now", description = "Process what is available, then stop.")
  boolean availableNow;

  @Mixin ValidationOptions validation;

  @Override
  String name() {
    return "stream";
  }

  @Override
  void run(JobContext context) throws Exception {
    FeatureTable t = context.table(table);
    context.summary().table(t.name());
    var config = context.config();
    Optional<String> root =
        config.hasPath("stream.checkpoint_root")
            ? Optional.of(config.getString("stream.checkpoint_root"))
            : Optional.empty();
    String location =
        checkpoint != null
            ? checkpoint
            : StreamSettings.defaultCheckpoint(t.name(), t.batchSource(), root);
    // A stream's threshold applies to each micro-batch; stream.max_invalid_fraction lets a
    // stream tolerate some bad messages while batch jobs stay strict. Null: pushSettings falls
    // back to validation.max_invalid_fraction. Both branches boxed: a primitive one would make the
    // whole conditional a double and unbox the null.
    double threshold =
        validation.maxInvalidFraction == null && config.hasPath("stream.max_invalid_fraction")
            ? ValidationOptions.threshold(config.getDouble("stream.max_invalid_fraction"), config)
            : validation.maxInvalidFraction(config); // the flag, else validation.*, else 0
    StreamSettings settings =
        new StreamSettings(
            location,
            StreamSettings.trigger(trigger, availableNow),
            FeatureStore.pushSettings(
                config, context.repo(), threshold, validation.allowMissingFeatures()));
    context.summary().put("checkpoint", location);
    Totals totals = new Totals();
    StreamingQuery query =
        StreamPipeline.start(
            context.spark(),
            t,
            OfflineStores.of(t, config),
            settings,
            f -> totals.add(f, context.summary()));
    Thread stopOnExit = new Thread(() -> stop(query), "stop stream " + t.name());
    Runtime.getRuntime().addShutdownHook(stopOnExit);
    try {
      query.awaitTermination();
    } finally {
      stop(query);
      try {
        Runtime.getRuntime().removeShutdownHook(stopOnExit);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running already
      }
      context.summary().put("batches", totals.batches);
      totals.maxLagMillis.ifPresent(l -> context.summary().put("max_lag_ms", l));
    }
  }

  private static void stop(StreamingQuery query) {
    try {
      query.stop();
    } catch (java.util.concurrent.TimeoutException e) {
      LOG.warn("stream {} did not stop in time: {}", query.name(), e.getMessage());
    }
  }

  /** Per-batch figures summed into the run summary; called on the stream's thread. */
  private static final class Totals {
    long batches;
    Optional<Long> maxLagMillis = Optional.empty();

    synchronized void add(BatchFigures f, RunSummary summary) {
      batches++;
      summary
          .count("rows_read", f.inputRows())
          .count("rows_valid", f.inputRows() - f.quarantined())
          .count("rows_quarantined", f.quarantined())
          .count("rows_written", f.written())
          .count("rows_skipped_stale", f.skippedStale());
      if (f.lagMillis().isPresent()) {
        long lag = f.lagMillis().get();
        maxLagMillis = Optional.of(maxLagMillis.map(m -> Math.max(m, lag)).orElse(lag));
      }
    }
  }
}
