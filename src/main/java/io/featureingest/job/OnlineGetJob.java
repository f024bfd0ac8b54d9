package io.featureingest.job;

import io.featureingest.online.OnlineFeatures;
import io.featureingest.online.OnlineStore;
import io.featureingest.online.OnlineTable;
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
    OnlineTable online = OnlineTable.of(spec);
    List<List<Object>> keys = new ArrayList<>();
    for (String e : entities) {
      keys.add(EntityArguments.parse(spec, e));
    }
    try (OnlineStore store = OnlineStores.opener(context.repo().onlineStore()).open()) {
      for (OnlineFeatures.Row row :
          OnlineFeatures.get(store, online, keys, features, Instant.now())) {
        System.out.println(TreeWriter.jsonLine(row.toTree()));
      }
    }
  }
}
