package io.featureingest.spec;

/** A bad flag, a bad spec or an unknown table: exit code 2, one message, no stack trace. */
public final class ConfigException extends FeatureIngestException {
  public ConfigException(String message) {
    super(message);
  }

  /**
   * A message of the form "path: expected X, got 'value'". Kept for the callers not yet moved to
   * {@link ConfigErrors#expected}, which it is.
   */
  public static ConfigException at(String path, String expected, Object got) {
    return ConfigErrors.expected(path, expected, got);
  }

  @Override
  public int exitCode() {
    return 2;
  }
}
