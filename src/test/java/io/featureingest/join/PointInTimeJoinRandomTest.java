package io.featureingest.join;

import static io.featureingest.join.JoinFixtures.CUSTOMER;
import static io.featureingest.join.JoinFixtures.DRIVER;
import static io.featureingest.join.JoinFixtures.PAIR;
import static io.featureingest.join.JoinFixtures.bag;
import static io.featureingest.join.JoinFixtures.customerRows;
import static io.featureingest.join.JoinFixtures.driverRows;
import static io.featureingest.join.JoinFixtures.entities;
import static io.featureingest.join.JoinFixtures.pairRows;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The join against the naive reference (inequality join + row_number) on random data: hour-grained
 * times so event times tie, a few created times so versions tie, duplicate entity rows, null keys
 * and null features, and one driver holding about a third of all rows. Each seed runs with the
 * default options or with a skew setting that makes the heavy keys hot (buckets and carry rows),
 * from a full count or from a hashed sample.
 */
class PointInTimeJoinRandomTest {
  private static final Instant START = Instant.parse("2019-01-01T00:00:00Z");

  @ParameterizedTest
  @ValueSource(longs = {1L, 42L, 8L})
  void matchesTheNaiveJoin(long seed) {
    Random random = new Random(seed);
    Dataset<Row> e = entities(entityRows(random, 300));
    List<TableRequest> requests =
        List.of(
            TableRequest.all(DRIVER, driverRows(driverFeatureRows(random, 700))),
            TableRequest.all(CUSTOMER, customerRows(customerFeatureRows(random, 300))),
            TableRequest.all(PAIR, pairRows(pairFeatureRows(random, 300))));
    List<String> expected =
        bag(NaivePointInTimeJoin.join(e, requests, JoinOptions.DEFAULT_TIMESTAMP_COLUMN));
    // One setting per seed keeps the test short: plain, hot keys from a full count, and hot keys
    // from a hashed half sample.
    JoinOptions options =
        switch ((int) (seed % 3)) {
          case 1 -> JoinOptions.defaults();
          case 0 -> JoinOptions.defaults().withSkew(20, 1.0, 8);
          default -> JoinOptions.defaults().withSkew(10, 0.5, 16);
        };

    assertThat(bag(PointInTimeJoin.join(e, requests, options))).hasSize(300).isEqualTo(expected);
    assertThat(expected.stream().filter(r -> !r.endsWith("null,null,null,null,null")).count())
        .as("enough entity rows find features for the comparison to mean something")
        .isGreaterThan(100);
  }

  private static Object[][] entityRows(Random r, int n) {
    List<Object[]> rows = new ArrayList<>();
    while (rows.size() < n) {
      if (!rows.isEmpty() && r.nextInt(10) == 0) {
        rows.add(rows.get(r.nextInt(rows.size())).clone());
        continue;
      }
      Long driver = r.nextInt(40) == 0 ? null : driver(r);
      rows.add(new Object[] {driver, customer(r), hour(r, 240), r.nextInt(2)});
    }
    return rows.toArray(Object[][]::new);
  }

  private static Object[][] driverFeatureRows(Random r, int n) {
    Object[][] rows = new Object[n][];
    for (int i = 0; i < n; i++) {
      Float rating = r.nextInt(8) == 0 ? null : (float) r.nextInt(50);
      rows[i] = new Object[] {driver(r), rating, (long) r.nextInt(100), hour(r, 240), created(r)};
    }
    return rows;
  }

  private static Object[][] customerFeatureRows(Random r, int n) {
    Object[][] rows = new Object[n][];
    for (int i = 0; i < n; i++) {
      Double score = r.nextInt(8) == 0 ? null : (double) r.nextInt(1000);
      rows[i] = new Object[] {customer(r), score, hour(r, 240), created(r)};
    }
    return rows;
  }

  private static Object[][] pairFeatureRows(Random r, int n) {
    Object[][] rows = new Object[n][];
    for (int i = 0; i < n; i++) {
      rows[i] =
          new Object[] {customer(r), driver(r), (double) r.nextInt(10), hour(r, 240), created(r)};
    }
    return rows;
  }

  /** Driver 0 is a third of all rows; the rest spread over 30 drivers. */
  private static Long driver(Random r) {
    return r.nextInt(3) == 0 ? 0L : 1L + r.nextInt(30);
  }

  private static String customer(Random r) {
    return "c" + r.nextInt(r.nextInt(4) == 0 ? 2 : 12);
  }

  private static Timestamp hour(Random r, int hours) {
    return Timestamp.from(START.plusSeconds(3600L * r.nextInt(hours)));
  }

  /** Null or one of three instants, so equal versions and null-created ties both happen. */
  private static Timestamp created(Random r) {
    int c = r.nextInt(4);
    return c == 0 ? null : Timestamp.from(START.plusSeconds(86_400L * c));
  }
}
