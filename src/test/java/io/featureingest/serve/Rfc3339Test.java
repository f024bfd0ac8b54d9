package io.featureingest.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.featureingest.online.Version;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Rfc3339Test {
  @Test
  void printsWhatInstantPrints() {
    Random random = new Random(17);
    long[] edges = {
      0,
      1,
      999,
      1000,
      1_000_000,
      1_500_000,
      -1,
      Long.MIN_VALUE / 2,
      253402300799_999_999L,
      253402300800_000_000L,
      951782400_000_000L /* 2000-02-29 */
    };
    for (long micros : edges) {
      assertThat(Rfc3339.format(micros)).isEqualTo(Version.instant(micros).toString());
    }
    for (int i = 0; i < 100_000; i++) {
      long micros = (long) (random.nextDouble() * 4e15); // 1970 .. 2096
      if (i % 3 == 0) {
        micros -= micros % 1_000_000; // whole seconds
      } else if (i % 3 == 1) {
        micros -= micros % 1000; // milliseconds
      }
      assertThat(Rfc3339.format(micros)).isEqualTo(Version.instant(micros).toString());
    }
  }
}
