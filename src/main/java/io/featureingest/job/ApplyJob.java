package io.featureingest.job;

import io.featureingest.registry.Registry;
import io.featureingest.spec.ConfigErrors;
import io.featureingest.spec.FeatureTable;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "apply",
    mixinStandardHelpOptions = true,
    description = "Register or update the feature tables of the config in the registry.")
final class ApplyJob extends JobCommand {
  @Parameters(
      arity = "0..*",
      paramLabel = "TABLE",
      description = "Only these tables (default: all in the config).")
  List<String> only = List.of();

  @Option(names = "--force", description = "Allow a change of entities or entity types.")
  boolean force;

  @Override
  String name() {
    return "apply";
  }

  @Override
  void run(JobContext context) {
    var tables = context.repo().tables();
    if (tables.isEmpty()) {
      throw ConfigErrors.noTablesDeclared("apply");
    }
    for (String name : only) {
      if (!tables.containsKey(name)) {
        throw ConfigErrors.unknownTable(name, tables.keySet(), null);
      }
    }
    Registry registry = context.registry();
    for (FeatureTable table : tables.values()) {
      if (!only.isEmpty() && !only.contains(table.name())) {
        continue;
      }
      Registry.Outcome outcome = registry.apply(table, force);
      context
          .summary()
          .table(table.name())
          .count("tables_" + outcome.name().toLowerCase(java.util.Locale.ROOT), 1);
      System.err.println(
          "apply: " + table.name() + " " + outcome.name().toLowerCase(java.util.Locale.ROOT));
    }
    context.summary().output(registry.path());
  }
}
