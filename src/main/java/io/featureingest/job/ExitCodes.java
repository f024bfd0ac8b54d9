package io.featureingest.job;

import io.featureingest.spec.FeatureIngestException;

/** Finds the user-facing error inside whatever wrapped it (Spark wraps task failures twice). */
public final class ExitCodes {
  private ExitCodes() {}

  public static FeatureIngestException find(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof FeatureIngestException f) {
        return f;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }
}
