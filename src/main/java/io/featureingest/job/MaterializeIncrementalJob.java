package io.featureingest.job;

import java.time.Instant;
import java.util.List;
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

  @Override
  void run(JobContext context) {
    Instant to = Timestamps.parse("--end", end);
    FeatureStore.Validation checks = validation.toValidation();
    checks.threshold(context.config()); // a bad threshold fails before Spark starts
    for (String name : tables) {
      context.summary().table(context.table(name).name());
      Summaries.materialized(
          context.summary(),
          context.store().materializeIncremental(List.of(name), to, checks).get(0));
    }
  }
}
