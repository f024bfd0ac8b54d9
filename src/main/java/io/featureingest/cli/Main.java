package io.featureingest.cli;

import io.featureingest.job.ExitCodes;
import io.featureingest.job.FeatureIngestCommand;
import io.featureingest.spec.FeatureIngestException;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * The jar's main class: picks the command, runs it, and maps failures to DESIGN.md's exit codes. A
 * user error prints one line naming the value and the fix, never a stack trace.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int code = run(args);
    System.out.flush();
    System.exit(code);
  }

  /** Runs one command line and returns its exit code; does not exit the JVM. */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new FeatureIngestCommand());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setParameterExceptionHandler(
        (ex, argv) -> {
          PrintWriter err = ex.getCommandLine().getErr();
          err.println("feature-ingest: " + ex.getMessage());
          err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
          err.flush();
          return 2;
        });
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          FeatureIngestException known = ExitCodes.find(ex);
          if (known != null) {
            err.println("feature-ingest: " + known.getMessage());
            err.flush();
            return known.exitCode();
          }
          err.println("feature-ingest: unexpected failure: " + ex);
          ex.printStackTrace(err);
          err.flush();
          return 1;
        });
    return cli.execute(args);
  }
}
