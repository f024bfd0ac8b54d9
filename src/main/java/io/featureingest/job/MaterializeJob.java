package io.featureingest.job;

import io.featureingest.spec.ConfigException;
import io.featureingest.spec.FeatureTable;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "materialize",
    mixinStandardHelpOptions = true,
    description =
        "Copy the latest values with event times in [start, end) from the offline store to the online store.")
final class MaterializeJob extends JobCommand {
  @Parameters(arity = "1..*", paramLabel = "TABLE")
  List<String> tables;

  @Option(
      names = "--start",
      required = true,
      paramLabel = "TS",
      description = "Inclusive start, ISO-8601 (UTC when no zone).")
  String start;

  @Option(
      names = "--end",
      required = true,
      paramLabel = "TS",
      description = "Exclusive end, ISO-8601 (UTC when no zone).")
  String end;

  @Mixin ValidationOptions validation;

  @Override
  String name() {
    return "materialize";
  }

  @Override
  void run(JobContext context) {
    Instant from = Timestamps.parse("--start", start);
    Instant to = Timestamps.parse("--end", end);
    if (!from.isBefore(to)) {
      throw new ConfigException("--start " + start + " must be before --end " + end);
    }
    Materializing run = new Materializing(context, validation);
    for (String name : tables) {
      FeatureTable table = context.table(name);
      Dataset<Row> window =
          OfflineStores.of(table, context.config()).read(context.spark(), from, to);
      run.materialize(table, window, Optional.empty(), to);
    }
  }
}
