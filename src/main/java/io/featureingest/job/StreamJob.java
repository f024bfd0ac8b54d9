package io.featureingest.job;

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
  void run(JobContext context) {
    throw NotAvailable.yet(name());
  }
}
