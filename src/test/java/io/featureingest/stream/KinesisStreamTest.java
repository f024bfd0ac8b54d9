package io.featureingest.stream;

import static io.featureingest.stream.StreamTables.avro;
import static io.featureingest.stream.StreamTables.avroTrip;
import static io.featureingest.stream.StreamTables.online;
import static io.featureingest.stream.StreamTables.settings;
import static io.featureingest.stream.StreamTables.sqlite;
import static org.assertj.core.api.Assertions.assertThat;

import io.featureingest.job.OfflineStores;
import io.featureingest.online.OnlineStore;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.FileFormat;
import io.featureingest.spec.KinesisSource;
import io.featureingest.testing.Kinesalite;
import io.featureingest.testing.TestSpark;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stream pipeline from kinesalite through the qubole Kinesis connector (format "kinesis"). */
class KinesisStreamTest {
  static final Instant T1 = Instant.parse("2024-05-01T10:00:00Z");
  static Kinesalite kinesis;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    kinesis = Kinesalite.start();
  }

  @AfterAll
  static void stop() {
    if (kinesis != null) {
      kinesis.close();
    }
  }

  @Test
  void avroFromKinesisToTheOnlineStore() throws Exception {
    kinesis.createStream("trips", 2);
    kinesis.put(
        "trips",
        List.of(
            avroTrip(1L, 4.0, 10, "ACTIVE", T1),
            avroTrip(1L, 4.5, 11, "IDLE", T1.plusSeconds(60)),
            avroTrip(2L, 3.0, 5, "ACTIVE", T1),
            "corrupt".getBytes()));
    KinesisSource source =
        new KinesisSource(
            "trips",
            "us-east-1",
            Optional.of(kinesis.endpoint()),
            "kinesis",
            "TRIM_HORIZON",
            // kinesalite accepts any key; real ones come from ${?AWS_ACCESS_KEY_ID} and the like.
            Map.of("awsAccessKeyId", "test", "awsSecretKey", "test"),
            avro(false),
            false,
            StreamTables.streamColumns());
    FeatureTable table =
        StreamTables.trips(dir.resolve("offline").toString(), FileFormat.PARQUET, source);
    OnlineStore.Opener store = sqlite(dir.resolve("online.db").toString());
    List<BatchFigures> figures = new CopyOnWriteArrayList<>();
    StreamingQuery q =
        StreamPipeline.start(
            TestSpark.get(),
            table,
            OfflineStores.of(table),
            new StreamSettings(
                dir.resolve("checkpoint").toString(),
                // The qubole connector fails under AvailableNow (it looks for its shard-commit
                // file of a batch that has not run), so a processing-time trigger, stopped once
                // every record is in.
                Trigger.ProcessingTime("1 second"),
                settings(store, 0.5)),
            figures::add);
    try {
      long deadline = System.nanoTime() + 120_000_000_000L;
      while (figures.stream().mapToLong(BatchFigures::inputRows).sum() < 4
          && System.nanoTime() < deadline
          && q.isActive()) {
        Thread.sleep(200);
      }
      assertThat(q.exception().isEmpty()).as(String.valueOf(q.exception())).isTrue();
    } finally {
      q.stop();
    }

    assertThat(figures.stream().mapToLong(BatchFigures::inputRows).sum()).isEqualTo(4);
    assertThat(figures.stream().mapToLong(BatchFigures::quarantined).sum()).isEqualTo(1);
    assertThat(online(store, table, 1, 2))
        .containsEntry(1L, List.of(4.5, 11, "IDLE", T1.plusSeconds(60)))
        .containsEntry(2L, List.of(3.0, 5, "ACTIVE", T1));
  }

  @Test
  void availableNowReadsWhatTheStreamHoldsAndStops() throws Exception {
    kinesis.createStream("trips_now", 2);
    kinesis.put(
        "trips_now",
        List.of(
            avroTrip(1L, 4.0, 10, "ACTIVE", T1),
            avroTrip(1L, 4.5, 11, "IDLE", T1.plusSeconds(60)),
            avroTrip(3L, 3.0, 5, "ACTIVE", T1)));
    FeatureTable table =
        StreamTables.trips(
            dir.resolve("offline").toString(), FileFormat.PARQUET, source("trips_now"));
    OnlineStore.Opener store = sqlite(dir.resolve("online.db").toString());
    List<BatchFigures> figures = new CopyOnWriteArrayList<>();
    StreamingQuery q =
        StreamPipeline.start(
            TestSpark.get(),
            table,
            OfflineStores.of(table),
            new StreamSettings(
                dir.resolve("checkpoint").toString(), Trigger.AvailableNow(), settings(store, 0.5)),
            figures::add);
    assertThat(q.awaitTermination(120_000)).as("stopped by itself").isTrue();
    assertThat(q.exception().isEmpty()).as(String.valueOf(q.exception())).isTrue();
    assertThat(figures.stream().mapToLong(BatchFigures::inputRows).sum()).isEqualTo(3);
    assertThat(online(store, table, 1, 3))
        .containsEntry(1L, List.of(4.5, 11, "IDLE", T1.plusSeconds(60)))
        .containsEntry(3L, List.of(3.0, 5, "ACTIVE", T1));

    // A second run resumes from the checkpoint: only the new record is read.
    kinesis.put("trips_now", List.of(avroTrip(3L, 3.5, 6, "IDLE", T1.plusSeconds(120))));
    List<BatchFigures> again = new CopyOnWriteArrayList<>();
    StreamingQuery q2 =
        StreamPipeline.start(
            TestSpark.get(),
            table,
            OfflineStores.of(table),
            new StreamSettings(
                dir.resolve("checkpoint").toString(), Trigger.AvailableNow(), settings(store, 0.5)),
            again::add);
    assertThat(q2.awaitTermination(120_000)).as("stopped by itself").isTrue();
    assertThat(q2.exception().isEmpty()).as(String.valueOf(q2.exception())).isTrue();
    assertThat(again.stream().mapToLong(BatchFigures::inputRows).sum()).isEqualTo(1);
    assertThat(online(store, table, 3))
        .containsEntry(3L, List.of(3.5, 6, "IDLE", T1.plusSeconds(120)));
  }

  private static KinesisSource source(String stream) {
    return new KinesisSource(
        stream,
        "us-east-1",
        Optional.of(kinesis.endpoint()),
        "kinesis",
        "TRIM_HORIZON",
        Map.of("awsAccessKeyId", "test", "awsSecretKey", "test"),
        avro(false),
        false,
        StreamTables.streamColumns());
  }
}
