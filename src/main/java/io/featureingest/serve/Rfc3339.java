package io.featureingest.serve;

import io.featureingest.online.Version;
import java.time.LocalDate;

/**
 * Epoch microseconds as {@link java.time.Instant#toString()} prints them ({@code
 * 2021-04-12T10:59:42Z}, {@code ...42.500Z}, {@code ...42.123456Z}), which is also Feast's
 * timestamp JSON. Instant.toString goes through a DateTimeFormatter and several StringBuilders: in
 * a 100-key answer with three features it was the largest single cost of the server, so the common
 * range (years 1970 to 9999) is written here by hand.
 */
final class Rfc3339 {
  private static final long MAX_SECONDS = 253402300799L; // 9999-12-31T23:59:59Z

  private Rfc3339() {}

  static String format(long micros) {
    long seconds = Math.floorDiv(micros, 1_000_000L);
    int fraction = (int) Math.floorMod(micros, 1_000_000L);
    if (seconds < 0 || seconds > MAX_SECONDS) {
      return Version.instant(micros).toString();
    }
    long days = seconds / 86_400;
    int secondOfDay = (int) (seconds % 86_400);
    LocalDate date = LocalDate.ofEpochDay(days);
    char[] out = new char[27];
    int n = digits(out, 0, date.getYear(), 4);
    out[n++] = '-';
    n = digits(out, n, date.getMonthValue(), 2);
    out[n++] = '-';
    n = digits(out, n, date.getDayOfMonth(), 2);
    out[n++] = 'T';
    n = digits(out, n, secondOfDay / 3600, 2);
    out[n++] = ':';
    n = digits(out, n, secondOfDay / 60 % 60, 2);
    out[n++] = ':';
    n = digits(out, n, secondOfDay % 60, 2);
    if (fraction != 0) {
      out[n++] = '.';
      if (fraction % 1000 == 0) {
        n = digits(out, n, fraction / 1000, 3);
      } else {
        n = digits(out, n, fraction, 6);
      }
    }
    out[n++] = 'Z';
    return new String(out, 0, n);
  }

  private static int digits(char[] out, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      out[i] = (char) ('0' + value % 10);
      value /= 10;
    }
    return at + width;
  }
}
