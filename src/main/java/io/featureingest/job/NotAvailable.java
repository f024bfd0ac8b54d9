package io.featureingest.job;

import io.featureingest.spec.ConfigErrors;
import io.featureingest.spec.ConfigException;

/** The answer of a command whose pipeline has not landed in this build: exit 2, no pretending. */
final class NotAvailable {
  private NotAvailable() {}

  static ConfigException yet(String command) {
    return ConfigErrors.notAvailable(command);
  }
}
