package io.featureingest.job;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The top-level command: global flags, then one subcommand. */
@Command(
    name = "feature-ingest",
    mixinStandardHelpOptions = true,
    version = "feature-ingest 0.1.0",
    description =
        "A feature store's data plane: specs, ingestion, materialization, streaming and"
            + " point-in-time joins on Spark.",
    subcommands = {
      ApplyJob.class,
      ListJob.class,
      DescribeJob.class,
      DeleteJob.class,
      IngestJob.class,
      MaterializeJob.class,
      MaterializeIncrementalJob.class,
      PushJob.class,
      StreamJob.class,
      RetrieveJob.class,
      OnlineGetJob.class,
      ServeJob.class
    })
public final class FeatureIngestCommand implements Runnable {
  @Mixin GlobalOptions global;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(),
        "no command given; one of: apply, list, describe, delete, ingest, materialize,"
            + " materialize-incremental, push, stream, retrieve, online-get, serve");
  }
}
