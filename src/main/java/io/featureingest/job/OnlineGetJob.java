package io.featureingest.job;

import io.featureingest.online.OnlineFeatures;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.TreeWriter;
import java.time.Instant;
import java.util.ArrayList;
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

  @Option(
      names = "--as-of",
      paramLabel = "TS",
      description =
          "Judge max_age against this instant instead of now (ISO-8601, UTC when no zone): to"
              + " look at what a serving call at that time would have seen.")
  String asOf;

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
    FeatureTable spec = context.table(table);
    List<List<Object>> keys = new ArrayList<>();
    for (String e : entities) {
      keys.add(EntityArguments.parse(spec, e));
    }
    Instant at = asOf == null ? Instant.now() : Timestamps.parse("--as-of", asOf);
    for (OnlineFeatures.Row row : context.store().onlineGet(spec.name(), keys, features, at)) {
      System.out.println(TreeWriter.jsonLine(row.toTree()));
    }
  }
}
