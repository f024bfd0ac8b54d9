package io.featureingest.job;

import io.featureingest.spec.FeatureTable;
import io.featureingest.stream.Push;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "push",
    mixinStandardHelpOptions = true,
    description = "Write rows straight to the online store (Feast's write_to_online_store).")
final class PushJob extends JobCommand {
  private static final Logger LOG = LoggerFactory.getLogger(PushJob.class);

  @Parameters(index = "0", paramLabel = "TABLE")
  String table;

  @Option(names = "--input", required = true, paramLabel = "PATH")
  String input;

  @Option(
      names = "--input-format",
      paramLabel = "FORMAT",
      description = "parquet, csv, json or delta.")
  String inputFormat;

  @Mixin ValidationOptions validation;

  @Override
  String name() {
    return "push";
  }

  @Override
  void run(JobContext context) {
    FeatureTable t = context.table(table);
    context.summary().table(t.name());
    FeatureStore.Validation checks = validation.toValidation();
    checks.threshold(context.config()); // a bad threshold fails before Spark starts
    Dataset<Row> rows =
        IngestJob.read(
            context.spark(), input, IngestJob.format(context.spark(), input, inputFormat));
    Push.Result r = context.store().push(t.name(), rows, checks);
    LOG.info(
        "pushed {}: {} rows read, {} quarantined, {} written, {} not newer",
        t.name(),
        r.rowsRead(),
        r.rowsQuarantined(),
        r.rowsWritten(),
        r.rowsNotNewer());
    context
        .summary()
        .count("rows_read", r.rowsRead())
        .count("rows_valid", r.rowsRead() - r.rowsQuarantined())
        .count("rows_quarantined", r.rowsQuarantined())
        .count("rows_written", r.rowsWritten())
        .count("rows_skipped_stale", r.rowsNotNewer());
    r.quarantinePath().ifPresent(q -> context.summary().output(q));
  }
}
