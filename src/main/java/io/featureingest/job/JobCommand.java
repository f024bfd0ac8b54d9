package io.featureingest.job;

import io.featureingest.spec.FeatureIngestException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * Base of every subcommand: merges the global flags, opens the job context, runs the job, and emits
 * the run summary (status {@code succeeded} or {@code failed}), stopping Spark at the end.
 */
abstract class JobCommand implements Callable<Integer> {
  @Mixin GlobalOptions local;

  @ParentCommand FeatureIngestCommand parent;

  /** The command's name as typed, for the summary. */
  abstract String name();

  abstract void run(JobContext context) throws Exception;

  /** Data commands (list, describe, online-get) print their data instead of a summary line. */
  boolean printsSummary() {
    return true;
  }

  @Override
  public Integer call() throws Exception {
    GlobalOptions options = local.merged(parent == null ? null : parent.global);
    try (JobContext context = new JobContext(name(), options)) {
      try {
        run(context);
      } catch (Exception e) {
        FeatureIngestException known = ExitCodes.find(e);
        context.summary().put("error", known != null ? known.getMessage() : String.valueOf(e));
        emit(context, options, "failed");
        throw e;
      }
      emit(context, options, "succeeded");
      return 0;
    }
  }

  private void emit(JobContext context, GlobalOptions options, String status) {
    context.summary().emit(status, options.summary(), printsSummary());
  }
}
