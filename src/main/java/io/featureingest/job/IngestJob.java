package io.featureingest.job;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = "Write rows from a file into a table's batch source (the offline store).")
final class IngestJob extends JobCommand {
  @Parameters(index = "0", paramLabel = "TABLE")
  String table;

  @Option(
      names = "--input",
      required = true,
      paramLabel = "PATH",
      description = "File or folder to read (any Hadoop URI).")
  String input;

  @Option(
      names = "--input-format",
      paramLabel = "FORMAT",
      description = "parquet, csv, json or delta (default: from the file name, else parquet).")
  String inputFormat;

  @Mixin ValidationOptions validation;

  @Override
  String name() {
    return "ingest";
  }

  @Override
  void run(JobContext context) {
    throw NotAvailable.yet(name());
  }
}
