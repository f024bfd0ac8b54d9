package io.featureingest.job;

import io.featureingest.spec.ConfigErrors;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "materialize",
    mixinStandardHelpOptions = true,
    description =
        "Copy the latest values with event times in [start, end) from the offline store to the online store.")
final class MaterializeJob extends JobCommand {
  @Parameters(arity = "1..*", paramLabel = "TABLE")
  List<String> tables;

  @Option(
      names = "--start",
      required = true,
      paramLabel = "TS",
      description = "Inclusive start, ISO-8601 (UTC when no zone).")
  String start;

  @Option(
      names = "--end",
      required = true,
      paramLabel = "TS",
      description = "Exclusive end, ISO-8601 (UTC when no zone).")
  String end;

  @Mixin ValidationOptions validation;

  @Override
  String name() {
    return "materialize";
  }

  @Override
  void run(JobContext context) {
    Instant from = Timestamps.parse("--start", start);
    Instant to = Timestamps.parse("--end", end);
    if (!from.isBefore(to)) {
      throw ConfigErrors.startNotBeforeEnd("--start", start, "--end", end);
    }
    FeatureStore.Validation checks = validation.toValidation();
    checks.threshold(context.config()); // a bad threshold fails before Spark starts
    for (String name : tables) {
      context.summary().table(context.table(name).name());
      Summaries.materialized(
          context.summary(), context.store().materialize(List.of(name), from, to, checks).get(0));
    }
  }
}
