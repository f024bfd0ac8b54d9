package io.featureingest.spec;

/**
 * The one base type for errors a user can act on. Each subclass carries the process exit code of
 * DESIGN.md; the message says what is wrong, with the values, and how to fix it.
 */
public abstract class FeatureIngestException extends RuntimeException {
  protected FeatureIngestException(String message) {
    super(message);
  }

  protected FeatureIngestException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The process exit code for this kind of failure. */
  public abstract int exitCode();
}
