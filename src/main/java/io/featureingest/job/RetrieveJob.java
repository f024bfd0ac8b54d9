package io.featureingest.job;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "retrieve",
    mixinStandardHelpOptions = true,
    description = "Build a training set: a point-in-time join of entity rows with feature tables.")
final class RetrieveJob extends JobCommand {
  @Option(
      names = "--entities",
      required = true,
      paramLabel = "SRC",
      description = "PATH (parquet, csv, delta), bq:TABLE or sql:QUERY.")
  String entities;

  @Option(
      names = "--features",
      required = true,
      paramLabel = "LIST",
      description = "table:feature,... or the name of a feature list in the config.")
  String features;

  @Option(names = "--output", required = true, paramLabel = "PATH")
  String output;

  @Option(
      names = "--output-format",
      defaultValue = "parquet",
      paramLabel = "FORMAT",
      description = "parquet, csv or delta (default: ${DEFAULT-VALUE}).")
  String outputFormat;

  @Override
  String name() {
    return "retrieve";
  }

  @Override
  void run(JobContext context) {
    throw NotAvailable.yet(name());
  }
}
