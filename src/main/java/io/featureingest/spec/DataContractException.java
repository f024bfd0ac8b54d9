package io.featureingest.spec;

/**
 * The data broke the contract: a schema mismatch found before writing, or more invalid rows than
 * the run allows. Exit code 3.
 */
public final class DataContractException extends FeatureIngestException {
  public DataContractException(String message) {
    super(message);
  }

  /**
   * The schema-check message every component uses, naming table, column and both types. Kept for
   * the callers not yet moved to {@link DataErrors#columnType}, which it is.
   */
  public static DataContractException columnType(
      String table, String column, String found, String expected, String fix) {
    return DataErrors.columnType(table, column, found, expected, fix);
  }

  @Override
  public int exitCode() {
    return 3;
  }
}
