package io.featureingest.job;

import io.featureingest.online.Materialization;
import io.featureingest.online.OnlineStore;
import io.featureingest.spec.FeatureTable;
import java.time.Instant;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What materialize and materialize-incremental share: options, the store, the summary. */
final class Materializing {
  private static final Logger LOG = LoggerFactory.getLogger(Materializing.class);

  private final JobContext context;
  private final ValidationOptions validation;
  private final OnlineStore.Opener opener;

  Materializing(JobContext context, ValidationOptions validation) {
    this.context = context;
    this.validation = validation;
    this.opener = OnlineStores.opener(context.repo().onlineStore());
  }

  Materialization.Result materialize(
      FeatureTable table,
      Dataset<Row> window,
      Optional<Materialization.LateRows> late,
      Instant end) {
    context.summary().table(table.name());
    var config = context.config();
    Optional<String> quarantine =
        config.hasPath("validation.quarantine_path")
            ? Optional.of(config.getString("validation.quarantine_path")).filter(s -> !s.isBlank())
            : Optional.empty();
    Materialization.Options options =
        new Materialization.Options(
            end,
            validation.allowMissingFeatures(),
            validation.maxInvalidFraction(config),
            quarantine,
            context.summary().runId(),
            context.summary().started(),
            context.repo().onlineStore().batchSize());
    Materialization.Result r = Materialization.run(table, window, late, options, opener);
    LOG.info(
        "materialized {}: {} rows read, {} quarantined, {} stale, {} written, {} not newer",
        table.name(),
        r.rowsRead(),
        r.rowsQuarantined(),
        r.rowsSkippedStale(),
        r.rowsWritten(),
        r.rowsNotNewer());
    context
        .summary()
        .count("rows_read", r.rowsRead())
        .count("rows_valid", r.rowsValid())
        .count("rows_quarantined", r.rowsQuarantined())
        .count("rows_skipped_stale", r.rowsSkippedStale())
        .count("rows_written", r.rowsWritten())
        .count("rows_not_newer", r.rowsNotNewer());
    if (late.isPresent()) {
      context.summary().count("rows_late", r.rowsLate());
    }
    r.quarantinePath().ifPresent(q -> context.summary().output(q));
    context.summary().put("online_store", context.repo().onlineStore().describe());
    return r;
  }
}
