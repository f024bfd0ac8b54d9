package io.featureingest.job;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The flags every command takes, before or after the command name. */
public final class GlobalOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "HOCON config file (the feature repository).")
  File config;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Override one config key; repeatable.")
  List<String> overrides = new ArrayList<>();

  @Option(
      names = "--summary",
      paramLabel = "FILE",
      description = "Also write the run summary (one JSON line) to FILE.")
  File summary;

  /** This command's flags, with the ones given before the command name filling the gaps. */
  GlobalOptions merged(GlobalOptions parent) {
    GlobalOptions out = new GlobalOptions();
    out.config = config != null ? config : parent == null ? null : parent.config;
    if (parent != null) {
      out.overrides.addAll(parent.overrides);
    }
    out.overrides.addAll(overrides); // later wins: flags after the command override those before
    out.summary = summary != null ? summary : parent == null ? null : parent.summary;
    return out;
  }

  public File config() {
    return config;
  }

  public List<String> overrides() {
    return List.copyOf(overrides);
  }

  public File summary() {
    return summary;
  }
}
