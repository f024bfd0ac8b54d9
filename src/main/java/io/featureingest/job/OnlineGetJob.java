package io.featureingest.job;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "online-get",
    mixinStandardHelpOptions = true,
    description = "Read feature values from the online store, one JSON line per entity key.")
final class OnlineGetJob extends JobCommand {
  @Parameters(index = "0", paramLabel = "TABLE")
  String table;

  @Option(
      names = "--entity",
      required = true,
      paramLabel = "K=V[,K2=V2]",
      description = "An entity key; repeatable.")
  List<String> entities;

  @Option(
      names = "--features",
      split = ",",
      paramLabel = "F,G",
      description = "Only these features.")
  List<String> features;

  @Override
  String name() {
    return "online-get";
  }

  @Override
  boolean printsSummary() {
    return false;
  }

  @Override
  void run(JobContext context) {
    throw NotAvailable.yet(name());
  }
}
