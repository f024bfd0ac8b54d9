package io.featureingest.job;

import io.featureingest.spec.ConfigErrors;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Command-line instants: ISO-8601, a date or a date-time; UTC when no zone is given (rule 1). */
final class Timestamps {
  private Timestamps() {}

  static Instant parse(String flag, String text) {
    String t = text.trim();
    try {
      if (t.length() == 10) {
        return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      try {
        return OffsetDateTime.parse(t).toInstant();
      } catch (DateTimeParseException noZone) {
        return LocalDateTime.parse(t.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
      }
    } catch (DateTimeParseException e) {
      throw ConfigErrors.badTimestamp(flag, text);
    }
  }
}
