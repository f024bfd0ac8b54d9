package io.featureingest.job;

import io.featureingest.spec.ConfigErrors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    description =
        "Remove a table from the registry. Its offline and online data stay where they are.")
final class DeleteJob extends JobCommand {
  @Parameters(index = "0", paramLabel = "TABLE")
  String table;

  @Override
  String name() {
    return "delete";
  }

  @Override
  void run(JobContext context) {
    if (!context.registry().delete(table)) {
      throw ConfigErrors.notApplied("delete", table, context.registry().path());
    }
    context.summary().table(table);
  }
}
