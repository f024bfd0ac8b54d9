package io.featureingest.spec;

/**
 * The data broke the contract: a schema mismatch found before writing, or more invalid rows than
 * the run allows. Exit code 3.
 */
public final class DataContractException extends FeatureIngestException {
  public DataContractException(String message) {
    super(message);
  }

  /** The schema-check message every component uses, naming table, column and both types. */
  public static DataContractException columnType(
      String table, String column, String found, String expected, String fix) {
    return new DataContractException(
        "table "
            + table
            + ": column '"
            + column
            + "' has type "
            + found
            + ", expected "
            + expected
            + (fix == null || fix.isEmpty() ? "" : "; " + fix));
  }

  @Override
  public int exitCode() {
    return 3;
  }
}
