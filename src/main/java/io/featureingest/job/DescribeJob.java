package io.featureingest.job;

import io.featureingest.spec.ConfigErrors;
import io.featureingest.spec.TreeWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "describe",
    mixinStandardHelpOptions = true,
    description = "Print an applied table's spec and meta (created and last-updated timestamps).")
final class DescribeJob extends JobCommand {
  enum Format {
    yaml,
    json
  }

  @Parameters(index = "0", paramLabel = "TABLE")
  String table;

  @Option(
      names = "--format",
      defaultValue = "yaml",
      description = "yaml or json (default: ${DEFAULT-VALUE}).")
  Format format;

  @Override
  String name() {
    return "describe";
  }

  @Override
  boolean printsSummary() {
    return false;
  }

  @Override
  void run(JobContext context) {
    var registered =
        context
            .registry()
            .get(table)
            .orElseThrow(
                () -> ConfigErrors.notApplied("describe", table, context.registry().path()));
    var doc = registered.describe();
    System.out.println(
        format == Format.json ? TreeWriter.json(doc) : TreeWriter.yaml(doc).stripTrailing());
    context.summary().table(table);
  }
}
