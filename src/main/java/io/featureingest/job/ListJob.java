package io.featureingest.job;

import io.featureingest.registry.RegisteredTable;
import picocli.CommandLine.Command;

@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List the applied feature tables: name, entities, features, last update.")
final class ListJob extends JobCommand {
  @Override
  String name() {
    return "list";
  }

  @Override
  boolean printsSummary() {
    return false;
  }

  @Override
  void run(JobContext context) {
    var tables = context.registry().list();
    if (tables.isEmpty()) {
      System.out.println("(no tables applied in " + context.registry().path() + ")");
    }
    for (RegisteredTable t : tables) {
      System.out.printf(
          "%-24s entities=%s features=%s updated=%s%n",
          t.table().name(),
          t.table().entityNames(),
          t.table().featureNames(),
          t.lastUpdatedTimestamp());
      context.summary().table(t.table().name());
    }
  }
}
