package io.featureingest.spec;

/** A store or source could not be reached after retries. Exit code 4. */
public final class StoreUnavailableException extends FeatureIngestException {
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public int exitCode() {
    return 4;
  }
}
