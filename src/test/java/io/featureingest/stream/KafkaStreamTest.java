package io.featureingest.stream;

import static io.featureingest.stream.StreamTables.avro;
import static io.featureingest.stream.StreamTables.avroTrip;
import static io.featureingest.stream.StreamTables.online;
import static io.featureingest.stream.StreamTables.settings;
import static io.featureingest.stream.StreamTables.sqlite;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featureingest.job.OfflineStores;
import io.featureingest.online.Materialization;
import io.featureingest.online.OnlineStore;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.FileFormat;
import io.featureingest.testing.KafkaBroker;
import io.featureingest.testing.TestSpark;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The stream job's pipeline against a real Kafka broker (KRaft, own JVM), Avro messages. */
class KafkaStreamTest {
  static final Instant T1 = Instant.parse("2024-05-01T10:00:00Z");
  static final Instant T2 = T1.plusSeconds(60);
  static final Instant T3 = T1.plusSeconds(120);

  static KafkaBroker kafka;

  @TempDir Path dir;

  @BeforeAll
  static void startBroker() {
    kafka = KafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  FeatureTable table(String topic, FileFormat log, Map<String, String> options) {
    return StreamTables.trips(
        dir.resolve("offline").toString(),
        log == null ? FileFormat.PARQUET : log,
        StreamTables.kafka(kafka.bootstrapServers(), topic, avro(false), log != null, options));
  }

  List<BatchFigures> runToEnd(FeatureTable table, OnlineStore.Opener store, double maxInvalid)
      throws Exception {
    List<BatchFigures> figures = new CopyOnWriteArrayList<>();
    run(table, store, maxInvalid, figures::add);
    return figures;
  }

  void run(
      FeatureTable table, OnlineStore.Opener store, double maxInvalid, Consumer<BatchFigures> f)
      throws Exception {
    StreamSettings s =
        new StreamSettings(
            dir.resolve("checkpoint").toString(),
            Trigger.AvailableNow(),
            settings(store, maxInvalid));
    StreamingQuery q = StreamPipeline.start(TestSpark.get(), table, OfflineStores.of(table), s, f);
    try {
      q.awaitTermination();
    } finally {
      q.stop();
    }
  }

  /** Two versions of driver 1, one of driver 2, a message that is not Avro, a null key. */
  private static List<byte[]> threeValidTwoInvalid() throws Exception {
    return List.of(
        avroTrip(1L, 4.0, 10, "ACTIVE", T1),
        avroTrip(1L, 4.5, 11, "IDLE", T2),
        avroTrip(2L, 3.0, 5, "ACTIVE", T1),
        "not avro".getBytes(),
        avroTrip(null, 1.0, 1, "ACTIVE", T1));
  }

  @Test
  void avroRoundTripQuarantinesCorruptMessagesGoesOnAndResumes() throws Exception {
    kafka.createTopic("trips-avro", 2);
    kafka.produce("trips-avro", threeValidTwoInvalid());
    FeatureTable table = table("trips-avro", null, Map.of());
    OnlineStore.Opener store = sqlite(dir.resolve("online.db").toString());

    List<BatchFigures> first = runToEnd(table, store, 0.5);

    assertThat(first.stream().mapToLong(BatchFigures::inputRows).sum()).isEqualTo(5);
    assertThat(first.stream().mapToLong(BatchFigures::quarantined).sum()).isEqualTo(2);
    assertThat(first.stream().mapToLong(BatchFigures::written).sum()).isEqualTo(2);
    assertThat(first.get(0).lagMillis()).isPresent();
    assertThat(online(store, table, 1, 2))
        .containsEntry(1L, List.of(4.5, 11, "IDLE", T2))
        .containsEntry(2L, List.of(3.0, 5, "ACTIVE", T1));
    List<Row> dead =
        TestSpark.get()
            .read()
            .parquet(dir.resolve("offline/_quarantine").toString())
            .orderBy("reason")
            .collectAsList();
    assertThat(dead).hasSize(2);
    assertThat(dead.get(0).<String>getAs("reason")).isEqualTo("null entity driver_id");
    assertThat(dead.get(1).<String>getAs("reason")).startsWith("undecodable avro message");
    assertThat(java.util.Base64.getDecoder().decode(dead.get(1).<String>getAs("raw_message")))
        .isEqualTo("not avro".getBytes());
    assertThat(dead.get(1).<String>getAs("source_position")).startsWith("trips-avro/");

    // A restart from the checkpoint reads only what came since; an older event does not win.
    kafka.produce(
        "trips-avro",
        List.of(avroTrip(2L, 3.5, 6, "IDLE", T3), avroTrip(1L, 1.0, 1, "ACTIVE", T1)));
    List<BatchFigures> second = runToEnd(table, store, 0.5);
    assertThat(second.stream().mapToLong(BatchFigures::inputRows).sum()).isEqualTo(2);
    assertThat(second.stream().mapToLong(BatchFigures::skippedStale).sum()).isEqualTo(1);
    assertThat(online(store, table, 1, 2))
        .containsEntry(1L, List.of(4.5, 11, "IDLE", T2))
        .containsEntry(2L, List.of(3.5, 6, "IDLE", T3));
  }

  @Test
  void smallBatchesAfterTheFirstQuarantineFromTheSourceAgain() throws Exception {
    // One partition, two messages a batch: batch 0 is cached (a stream expects its first batch
    // to be the backlog), the invalid messages come in batches 1 and 2, which are read once and
    // whose quarantine reads their offsets again.
    kafka.createTopic("trips-split", 1);
    kafka.produce("trips-split", threeValidTwoInvalid());
    FeatureTable table = table("trips-split", null, Map.of("maxOffsetsPerTrigger", "2"));
    OnlineStore.Opener store = sqlite(dir.resolve("online.db").toString());

    List<BatchFigures> figures = runToEnd(table, store, 1.0);

    assertThat(figures).extracting(BatchFigures::inputRows).containsExactly(2L, 2L, 1L);
    assertThat(figures).extracting(BatchFigures::quarantined).containsExactly(0L, 1L, 1L);
    assertThat(figures).extracting(BatchFigures::written).containsExactly(1L, 1L, 0L);
    assertThat(online(store, table, 1, 2))
        .containsEntry(1L, List.of(4.5, 11, "IDLE", T2))
        .containsEntry(2L, List.of(3.0, 5, "ACTIVE", T1));
    List<Row> dead =
        TestSpark.get()
            .read()
            .parquet(dir.resolve("offline/_quarantine").toString())
            .orderBy("reason")
            .collectAsList();
    assertThat(dead).hasSize(2);
    assertThat(dead.get(0).<String>getAs("reason")).isEqualTo("null entity driver_id");
    assertThat(dead.get(0).<String>getAs("source_position")).isEqualTo("trips-split/0/4");
    assertThat(dead.get(1).<String>getAs("reason")).startsWith("undecodable avro message");
    assertThat(java.util.Base64.getDecoder().decode(dead.get(1).<String>getAs("raw_message")))
        .isEqualTo("not avro".getBytes());
    assertThat(dead.get(1).<String>getAs("source_position")).isEqualTo("trips-split/0/3");
    // The stream's settings stay in the session Spark cloned for the query.
    assertThat(TestSpark.get().conf().get("spark.sql.inMemoryColumnarStorage.compressed"))
        .isEqualTo("true");
  }

  @Test
  void protobufRoundTripWithADescriptorSetFile() throws Exception {
    kafka.createTopic("trips-proto", 1);
    kafka.produce(
        "trips-proto",
        List.of(
            ProtoMessages.trip(1L, 4.0, 10, "ACTIVE", T1),
            ProtoMessages.trip(1L, 4.5, 11, "IDLE", T2),
            new byte[] {(byte) 0xff, 1}));
    var format =
        new io.featureingest.spec.ProtoFormat(
            Optional.of(ProtoMessages.writeDescriptorSet(dir)),
            Optional.of(ProtoMessages.MESSAGE),
            Optional.empty());
    FeatureTable table =
        StreamTables.trips(
            dir.resolve("offline").toString(),
            FileFormat.PARQUET,
            new io.featureingest.spec.KafkaSource(
                kafka.bootstrapServers(),
                "trips-proto",
                "earliest",
                Map.of(),
                format,
                false,
                StreamTables.streamColumns()));
    OnlineStore.Opener store = sqlite(dir.resolve("online.db").toString());

    List<BatchFigures> figures = runToEnd(table, store, 0.5);

    assertThat(figures.stream().mapToLong(BatchFigures::quarantined).sum()).isEqualTo(1);
    assertThat(online(store, table, 1)).containsEntry(1L, List.of(4.5, 11, "IDLE", T2));
    Row dead =
        TestSpark.get().read().parquet(dir.resolve("offline/_quarantine").toString()).first();
    assertThat(dead.<String>getAs("reason")).startsWith("undecodable proto message");
  }

  @ParameterizedTest
  @EnumSource(
      value = FileFormat.class,
      names = {"PARQUET", "DELTA"})
  void killedMidBatchRestartsWithoutLossOrDoubles(FileFormat log) throws Exception {
    String topic = "trips-restart-" + log.name().toLowerCase();
    kafka.createTopic(topic, 3);
    List<byte[]> messages = new ArrayList<>();
    for (int v = 0; v < 3; v++) {
      for (long id = 1; id <= 10; id++) {
        messages.add(avroTrip(id, v + id / 10.0, v, "ACTIVE", T1.plusSeconds(v * 60L)));
      }
    }
    kafka.produce(topic, messages);
    // Three partitions, at most 10 messages per batch: several batches.
    FeatureTable table = table(topic, log, Map.of("maxOffsetsPerTrigger", "10"));
    OnlineStore.Opener store = sqlite(dir.resolve("online.db").toString());

    // Batch 1 dies after its online write and log append, before Spark commits it.
    assertThatThrownBy(
            () ->
                run(
                    table,
                    store,
                    0.0,
                    f -> {
                      if (f.batchId() == 1) {
                        throw new IllegalStateException("killed after batch 1's writes");
                      }
                    }))
        .isInstanceOf(StreamingQueryException.class);

    List<BatchFigures> rest = runToEnd(table, store, 0.0);
    assertThat(rest.get(0).batchId()).isEqualTo(1);
    // The replayed batch carries the same versions (created = broker time): all no-ops.
    assertThat(rest.get(0).written()).isZero();
    assertThat(rest.get(0).skippedStale()).isEqualTo(10);
    assertThat(rest.stream().mapToLong(BatchFigures::inputRows).sum()).isEqualTo(20);

    Dataset<Row> logged =
        TestSpark.get()
            .read()
            .format(log == FileFormat.DELTA ? "delta" : "parquet")
            .load(dir.resolve("offline").toString());
    assertThat(logged.count()).isEqualTo(30);
    assertThat(logged.select("driver_id", "event_time").distinct().count()).isEqualTo(30);
    Map<Long, List<Object>> stored = online(store, table, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    assertThat(stored).hasSize(10);
    stored.forEach((id, v) -> assertThat(v).isEqualTo(List.of(2 + id / 10.0, 2, "ACTIVE", T3)));
  }

  @Test
  void streamAndMaterializeInEitherOrderKeepOnlyTheNewest() throws Exception {
    kafka.createTopic("trips-coord", 1);
    // Driver 1: the stream is newer (T2 > T1 offline). Driver 2: the offline store is newer.
    kafka.produce(
        "trips-coord", List.of(avroTrip(1L, 9.0, 9, "IDLE", T2), avroTrip(2L, 8.0, 8, "IDLE", T2)));
    FeatureTable table = table("trips-coord", null, Map.of());
    StructType offlineSchema =
        StructType.fromDDL(
            "driver_id BIGINT, rating DOUBLE, trips INT, status STRING, event_time TIMESTAMP, created TIMESTAMP");
    Dataset<Row> offline =
        TestSpark.get()
            .createDataFrame(
                List.of(
                    RowFactory.create(1L, 1.0, 1, "ACTIVE", Timestamp.from(T1), Timestamp.from(T1)),
                    RowFactory.create(
                        2L, 2.0, 2, "ACTIVE", Timestamp.from(T3), Timestamp.from(T3))),
                offlineSchema);
    Map<Long, List<Object>> expected =
        Map.of(1L, List.of(9.0, 9, "IDLE", T2), 2L, List.of(2.0, 2, "ACTIVE", T3));

    OnlineStore.Opener streamFirst = sqlite(dir.resolve("a.db").toString());
    runToEnd(table, streamFirst, 0.0);
    materialize(table, offline, streamFirst);
    assertThat(online(streamFirst, table, 1, 2)).isEqualTo(expected);

    OnlineStore.Opener materializeFirst = sqlite(dir.resolve("b.db").toString());
    materialize(table, offline, materializeFirst);
    java.nio.file.Files.walk(dir.resolve("checkpoint"))
        .sorted(java.util.Comparator.reverseOrder())
        .forEach(p -> p.toFile().delete());
    runToEnd(table, materializeFirst, 0.0);
    assertThat(online(materializeFirst, table, 1, 2)).isEqualTo(expected);
  }

  @Test
  void streamCommandRunsAvailableNowWithADefaultCheckpointPerTable() throws Exception {
    kafka.createTopic("trips-cli", 1);
    kafka.produce("trips-cli", List.of(avroTrip(1L, 4.0, 10, "ACTIVE", T1), "bad".getBytes()));
    Path config = streamConfig("trips-cli", "stream { max_invalid_fraction = 0.5 }");

    io.featureingest.testing.CliRun run =
        io.featureingest.testing.CliRun.of(
            "stream", "trips", "--available-now", "--config", config.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.summaryLine())
        .contains("\"rows_read\": 2")
        .contains("\"rows_quarantined\": 1")
        .contains("\"rows_written\": 1")
        .contains("_checkpoints/stream");
    assertThat(dir.resolve("offline/_checkpoints/stream/commits")).isDirectory();
    FeatureTable table = table("trips-cli", null, Map.of());
    assertThat(online(sqlite(dir.resolve("online.db").toString()), table, 1))
        .containsEntry(1L, List.of(4.0, 10, "ACTIVE", T1));
  }

  @Test
  void streamCommandWithoutAThresholdFailsOnTheFirstInvalidMessageBeforeWriting() throws Exception {
    // Issue 22: no --max-invalid-fraction and no stream.max_invalid_fraction crashed (exit 1,
    // NullPointerException) instead of applying the default 0.
    kafka.createTopic("trips-strict", 1);
    kafka.produce("trips-strict", List.of(avroTrip(1L, 4.0, 10, "ACTIVE", T1), "bad".getBytes()));
    Path config = streamConfig("trips-strict", "");

    io.featureingest.testing.CliRun run =
        io.featureingest.testing.CliRun.of(
            "stream", "trips", "--available-now", "--config", config.toString());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
    assertThat(run.err())
        .contains("table trips: 1 of 2 rows are invalid")
        .contains("nothing was written")
        .doesNotContain("\tat ");
    FeatureTable table = table("trips-strict", null, Map.of());
    assertThat(online(sqlite(dir.resolve("online.db").toString()), table, 1)).isEmpty();
    assertThat(dir.resolve("offline/_checkpoints/stream/commits/0")).doesNotExist();
  }

  @Test
  void streamCommandWithoutAThresholdWritesACleanBatch() throws Exception {
    kafka.createTopic("trips-clean", 1);
    kafka.produce(
        "trips-clean",
        List.of(avroTrip(1L, 4.0, 10, "ACTIVE", T1), avroTrip(2L, 3.0, 5, "IDLE", T2)));
    Path config = streamConfig("trips-clean", "");

    io.featureingest.testing.CliRun run =
        io.featureingest.testing.CliRun.of(
            "stream", "trips", "--available-now", "--config", config.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.summaryLine()).contains("\"rows_read\": 2").contains("\"rows_written\": 2");
    FeatureTable table = table("trips-clean", null, Map.of());
    assertThat(online(sqlite(dir.resolve("online.db").toString()), table, 1, 2))
        .containsEntry(1L, List.of(4.0, 10, "ACTIVE", T1))
        .containsEntry(2L, List.of(3.0, 5, "IDLE", T2));
  }

  @Test
  void streamCommandFallsBackToTheBatchThresholdAndQuarantinesRawBytesUnchunked() throws Exception {
    // validation.max_invalid_fraction applies when neither the flag nor stream.* says otherwise.
    // The undecodable message is longer than 57 bytes, so its base64 is longer than the 76
    // characters after which Spark's base64() starts a new line, which strict decoders refuse.
    byte[] corrupt = new byte[300];
    for (int i = 0; i < corrupt.length; i++) {
      corrupt[i] = (byte) (i == 0 ? 'n' : i); // 'n': a union branch the schema does not have
    }
    kafka.createTopic("trips-fallback", 1);
    kafka.produce("trips-fallback", List.of(avroTrip(1L, 4.0, 10, "ACTIVE", T1), corrupt));
    Path config = streamConfig("trips-fallback", "validation { max_invalid_fraction = 0.5 }");

    io.featureingest.testing.CliRun run =
        io.featureingest.testing.CliRun.of(
            "stream", "trips", "--available-now", "--config", config.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.summaryLine())
        .contains("\"rows_quarantined\": 1")
        .contains("\"rows_written\": 1");
    Row dead =
        TestSpark.get().read().parquet(dir.resolve("offline/_quarantine").toString()).first();
    assertThat(dead.<String>getAs("reason")).startsWith("undecodable avro message");
    String raw = dead.getAs("raw_message");
    assertThat(java.util.Base64.getDecoder().decode(raw)).isEqualTo(corrupt);
  }

  /** A repository with the test table "trips" on {@code topic}, plus {@code extra} HOCON. */
  private Path streamConfig(String topic, String extra) throws java.io.IOException {
    Path config = dir.resolve("repo.conf");
    java.nio.file.Files.writeString(
        config,
        """
        registry { path = "%1$s/registry" }
        online_store { type = sqlite, path = "%1$s/online.db" }
        %4$s
        feature_tables {
          trips {
            entities = [ { name = driver_id, type = INT64 } ]
            features = [ { name = rating, type = DOUBLE }, { name = trips, type = INT32 },
                         { name = status, type = STRING } ]
            batch_source {
              type = file, format = parquet, path = "%1$s/offline"
              event_timestamp_column = event_time, created_timestamp_column = created
            }
            stream_source {
              type = kafka, bootstrap_servers = "%2$s", topic = %5$s
              format { type = avro, schema_json = "%3$s" }
              event_timestamp_column = event_time
              field_mapping { driver_id = "driver.id", rating = "stats.rating", trips = "stats.trips" }
            }
          }
        }
        """
            .formatted(
                dir,
                kafka.bootstrapServers(),
                StreamTables.AVRO_SCHEMA.replace("\"", "\\\"").replace("\n", " "),
                extra,
                topic));
    return config;
  }

  static void materialize(FeatureTable table, Dataset<Row> offline, OnlineStore.Opener store) {
    Materialization.run(
        table,
        offline,
        Optional.empty(),
        new Materialization.Options(
            T3.plusSeconds(1), false, 0.0, Optional.empty(), "m", Instant.now(), 500),
        store);
  }
}
