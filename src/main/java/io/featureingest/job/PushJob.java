package io.featureingest.job;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "push",
    mixinStandardHelpOptions = true,
    description = "Write rows straight to the online store (Feast's write_to_online_store).")
final class PushJob extends JobCommand {
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
    throw NotAvailable.yet(name());
  }
}
