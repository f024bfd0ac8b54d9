package io.featureingest.join;

import static io.featureingest.join.JoinFixtures.CUSTOMER;
import static io.featureingest.join.JoinFixtures.DRIVER;
import static io.featureingest.join.JoinFixtures.PAIR;
import static io.featureingest.join.JoinFixtures.bag;
import static io.featureingest.join.JoinFixtures.customerRows;
import static io.featureingest.join.JoinFixtures.driverRows;
import static io.featureingest.join.JoinFixtures.entities;
import static io.featureingest.join.JoinFixtures.pairRows;
import static io.featureingest.join.JoinFixtures.row;
import static io.featureingest.join.JoinFixtures.ts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featureingest.spec.ConfigException;
import io.featureingest.spec.DataContractException;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hand-written cases of the point-in-time join, each run twice: with the default options (no key is
 * hot at this size) and with every key hot (one-row buckets), so that the skew path's carry rows
 * must give the same answers.
 */
class PointInTimeJoinTest {
  static Stream<JoinOptions> options() {
    return Stream.of(JoinOptions.defaults(), JoinOptions.defaults().withSkew(1, 1.0, 4));
  }

  private static Dataset<Row> driverTrips() {
    return driverRows(
        row(1L, 1.0f, 10L, ts("2019-01-01T00:00:00Z"), null),
        // driver 2: three versions of one event instant, then a later event created earlier
        row(2L, 1.0f, 1L, ts("2019-01-01T00:00:00Z"), null),
        row(2L, 2.0f, 2L, ts("2019-01-01T00:00:00Z"), ts("2019-01-02T00:00:00Z")),
        row(2L, 3.0f, 3L, ts("2019-01-01T00:00:00Z"), ts("2019-01-01T12:00:00Z")),
        row(2L, 4.0f, 4L, ts("2019-01-01T06:00:00Z"), ts("2018-12-01T00:00:00Z")),
        // driver 3: the newest row has a null rating, which must stay null
        row(3L, 5.0f, 1L, ts("2019-01-01T00:00:00Z"), null),
        row(3L, null, 2L, ts("2019-01-02T00:00:00Z"), null));
  }

  private static List<String> run(Dataset<Row> entities, JoinOptions o, TableRequest... r) {
    return bag(PointInTimeJoin.join(entities, List.of(r), o));
  }

  @ParameterizedTest
  @MethodSource("options")
  void maxAgeBoundsAreInclusiveAndRowsBeforeAnyFeatureGetNulls(JoinOptions o) {
    Dataset<Row> e =
        entities(
            row(1L, "c", ts("2019-01-03T00:00:00Z"), 0),
            row(1L, "c", ts("2019-01-03T00:00:00.000001Z"), 1),
            row(1L, "c", ts("2019-01-01T00:00:00Z"), 2),
            row(1L, "c", ts("2018-12-31T23:59:59.999999Z"), 3));
    assertThat(run(e, o, TableRequest.all(DRIVER, driverTrips())))
        .containsExactly(
            "1,c,2018-12-31T23:59:59.999999Z,3,null,null",
            "1,c,2019-01-01T00:00:00Z,2,1.0,10",
            "1,c,2019-01-03T00:00:00.000001Z,1,null,null",
            "1,c,2019-01-03T00:00:00Z,0,1.0,10");
  }

  @ParameterizedTest
  @MethodSource("options")
  void greatestVersionWinsWithCreatedTimestampBreakingTies(JoinOptions o) {
    Dataset<Row> e =
        entities(
            row(2L, "c", ts("2019-01-01T05:00:00Z"), 0),
            row(2L, "c", ts("2019-01-01T07:00:00Z"), 1));
    assertThat(run(e, o, TableRequest.all(DRIVER, driverTrips())))
        .containsExactly("2,c,2019-01-01T05:00:00Z,0,2.0,2", "2,c,2019-01-01T07:00:00Z,1,4.0,4");
  }

  @ParameterizedTest
  @MethodSource("options")
  void nullFeatureValuesOfTheWinningRowStayNull(JoinOptions o) {
    Dataset<Row> e = entities(row(3L, "c", ts("2019-01-02T01:00:00Z"), 0));
    assertThat(run(e, o, TableRequest.all(DRIVER, driverTrips())))
        .containsExactly("3,c,2019-01-02T01:00:00Z,0,null,2");
  }

  @ParameterizedTest
  @MethodSource("options")
  void duplicateEntityRowsAreAllKeptAndUnknownKeysGetNulls(JoinOptions o) {
    Dataset<Row> e =
        entities(
            row(1L, "c", ts("2019-01-02T00:00:00Z"), 7),
            row(1L, "c", ts("2019-01-02T00:00:00Z"), 7),
            row(9L, "c", ts("2019-01-02T00:00:00Z"), 7),
            row(null, "c", ts("2019-01-02T00:00:00Z"), 7));
    assertThat(run(e, o, new TableRequest(DRIVER, driverTrips(), List.of("trips"))))
        .containsExactly(
            "1,c,2019-01-02T00:00:00Z,7,10",
            "1,c,2019-01-02T00:00:00Z,7,10",
            "9,c,2019-01-02T00:00:00Z,7,null",
            "null,c,2019-01-02T00:00:00Z,7,null");
  }

  @ParameterizedTest
  @MethodSource("options")
  void compositeKeysMatchOnEveryEntityColumn(JoinOptions o) {
    Dataset<Row> pair =
        pairRows(
            row("c1", 1L, 0.5, ts("2019-01-01T00:00:00Z"), null),
            row("c1", 2L, 0.7, ts("2019-01-01T00:00:00Z"), null),
            row("c2", 1L, 0.9, ts("2019-01-01T00:00:00Z"), null));
    Dataset<Row> e =
        entities(
            row(1L, "c1", ts("2019-01-01T10:00:00Z"), 0),
            row(2L, "c1", ts("2019-01-01T10:00:00Z"), 0),
            row(1L, "c2", ts("2019-01-01T10:00:00Z"), 0),
            row(2L, "c2", ts("2019-01-01T10:00:00Z"), 0),
            row(1L, "c1", ts("2019-01-02T00:00:01Z"), 0));
    assertThat(run(e, o, TableRequest.all(PAIR, pair)))
        .containsExactly(
            "1,c1,2019-01-01T10:00:00Z,0,0.5",
            "1,c1,2019-01-02T00:00:01Z,0,null",
            "1,c2,2019-01-01T10:00:00Z,0,0.9",
            "2,c1,2019-01-01T10:00:00Z,0,0.7",
            "2,c2,2019-01-01T10:00:00Z,0,null");
  }

  @ParameterizedTest
  @MethodSource("options")
  void threeTablesOnDifferentKeySubsetsInOneRequest(JoinOptions o) {
    Dataset<Row> customer =
        customerRows(
            row("c1", 0.1, ts("2018-01-01T00:00:00Z"), null),
            row("c1", 0.2, ts("2019-01-01T08:00:00Z"), null));
    Dataset<Row> pair = pairRows(row("c1", 1L, 0.5, ts("2019-01-01T00:00:00Z"), null));
    Dataset<Row> e =
        entities(
            row(1L, "c1", ts("2019-01-01T07:00:00Z"), 0),
            row(1L, "c1", ts("2019-01-01T09:00:00Z"), 1),
            row(2L, "c2", ts("2019-01-01T09:00:00Z"), 2));
    Dataset<Row> out =
        PointInTimeJoin.join(
            e,
            List.of(
                new TableRequest(DRIVER, driverTrips(), List.of("rating")),
                TableRequest.all(CUSTOMER, customer),
                TableRequest.all(PAIR, pair),
                new TableRequest(DRIVER, driverTrips(), List.of("trips", "rating"))),
            o);
    assertThat(out.columns())
        .containsExactly(
            "driver_id",
            "customer_id",
            "event_timestamp",
            "label",
            "driver_trips__rating",
            "driver_trips__trips",
            "customer__score",
            "pair__affinity");
    assertThat(bag(out))
        .containsExactly(
            // customer has no max_age: the 2018 row still counts
            "1,c1,2019-01-01T07:00:00Z,0,1.0,10,0.1,0.5",
            "1,c1,2019-01-01T09:00:00Z,1,1.0,10,0.2,0.5",
            "2,c2,2019-01-01T09:00:00Z,2,4.0,4,null,null");
  }

  @ParameterizedTest
  @MethodSource("options")
  void anEmptyTableGivesNulls(JoinOptions o) {
    Dataset<Row> e = entities(row(1L, "c1", ts("2019-01-01T07:00:00Z"), 0));
    assertThat(
            run(
                e,
                o,
                TableRequest.all(CUSTOMER, customerRows()),
                new TableRequest(DRIVER, driverTrips(), List.of("trips"))))
        .containsExactly("1,c1,2019-01-01T07:00:00Z,0,null,10");
  }

  @Test
  void theEntityTimestampColumnCanBeRenamed() {
    Dataset<Row> e =
        entities(row(1L, "c", ts("2019-01-01T01:00:00Z"), 0))
            .withColumnRenamed("event_timestamp", "at");
    assertThat(
            bag(
                PointInTimeJoin.join(
                    e,
                    List.of(new TableRequest(DRIVER, driverTrips(), List.of("trips"))),
                    JoinOptions.defaults().withEntityTimestampColumn("at"))))
        .containsExactly("1,c,2019-01-01T01:00:00Z,0,10");
  }

  @Test
  void narrowerIntegerKeysWiden() {
    Dataset<Row> e =
        entities(row(1L, "c", ts("2019-01-01T01:00:00Z"), 0))
            .withColumn("driver_id", org.apache.spark.sql.functions.col("driver_id").cast("int"));
    assertThat(
            run(
                e,
                JoinOptions.defaults(),
                new TableRequest(DRIVER, driverTrips(), List.of("trips"))))
        .containsExactly("1,c,2019-01-01T01:00:00Z,0,10");
  }

  @Test
  void contractErrorsNameTheColumnAndTypes() {
    Dataset<Row> e = entities(row(1L, "c", ts("2019-01-01T01:00:00Z"), 0));
    TableRequest driver = TableRequest.all(DRIVER, driverTrips());
    assertThatThrownBy(
            () ->
                PointInTimeJoin.join(e.drop("driver_id"), List.of(driver), JoinOptions.defaults()))
        .isInstanceOf(DataContractException.class)
        .hasMessageContaining("driver_trips")
        .hasMessageContaining("'driver_id'")
        .hasMessageContaining("missing");
    assertThatThrownBy(
            () ->
                PointInTimeJoin.join(
                    e.withColumn("driver_id", e.col("driver_id").cast("string")),
                    List.of(driver),
                    JoinOptions.defaults()))
        .isInstanceOf(DataContractException.class)
        .hasMessageContaining("'driver_id' has type string, expected INT64 (bigint)");
    assertThatThrownBy(
            () ->
                PointInTimeJoin.join(
                    e, List.of(driver), JoinOptions.defaults().withEntityTimestampColumn("ts")))
        .isInstanceOf(DataContractException.class)
        .hasMessageContaining("timestamp column 'ts' is missing");
    assertThatThrownBy(
            () ->
                PointInTimeJoin.join(
                    e.withColumn(
                        "event_timestamp", e.col("event_timestamp").cast(DataTypes.StringType)),
                    List.of(driver),
                    JoinOptions.defaults()))
        .isInstanceOf(DataContractException.class)
        .hasMessageContaining("'event_timestamp' has type string, expected timestamp");
    assertThatThrownBy(() -> new TableRequest(DRIVER, driverTrips(), List.of("speed")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown feature 'driver_trips:speed'");
  }
}
