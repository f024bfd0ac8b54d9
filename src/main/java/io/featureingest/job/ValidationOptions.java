package io.featureingest.job;

import picocli.CommandLine.Option;

/** Flags of the commands that validate rows: ingest, materialize, push, stream. */
public final class ValidationOptions {
  @Option(
      names = "--max-invalid-fraction",
      paramLabel = "F",
      description =
          "Fail (exit 3) when more than this fraction of rows is invalid; default: the"
              + " config's validation.max_invalid_fraction (0: any invalid row fails the run).")
  Double maxInvalidFraction;

  @Option(
      names = "--allow-missing-features",
      description = "Store nulls for feature columns missing from the input instead of failing.")
  boolean allowMissingFeatures;

  /** The threshold: the flag, else the config's {@code validation.max_invalid_fraction}. */
  public double maxInvalidFraction(com.typesafe.config.Config config) {
    return threshold(maxInvalidFraction, config);
  }

  /** What the commands and the Java API run with. */
  FeatureStore.Validation toValidation() {
    FeatureStore.Validation v =
        FeatureStore.Validation.defaults().allowingMissingFeatures(allowMissingFeatures);
    return maxInvalidFraction == null ? v : v.withMaxInvalidFraction(maxInvalidFraction);
  }

  /** {@code given} when set, else the config's {@code validation.max_invalid_fraction}, else 0. */
  static double threshold(Double given, com.typesafe.config.Config config) {
    double value =
        given != null
            ? given.doubleValue()
            : config.hasPath("validation.max_invalid_fraction")
                ? config.getDouble("validation.max_invalid_fraction")
                : 0.0;
    if (value < 0 || value > 1 || Double.isNaN(value)) {
      throw io.featureingest.spec.ConfigErrors.expected(
          "--max-invalid-fraction", "a fraction between 0 and 1", value);
    }
    return value;
  }

  public boolean allowMissingFeatures() {
    return allowMissingFeatures;
  }
}
