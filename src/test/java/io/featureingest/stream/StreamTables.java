package io.featureingest.stream;

import io.featureingest.online.OnlineRecord;
import io.featureingest.online.OnlineStore;
import io.featureingest.online.OnlineTable;
import io.featureingest.online.sqlite.SqliteOnlineStore;
import io.featureingest.spec.AvroFormat;
import io.featureingest.spec.Entity;
import io.featureingest.spec.Feature;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.FileFormat;
import io.featureingest.spec.FileSource;
import io.featureingest.spec.KafkaSource;
import io.featureingest.spec.MessageFormat;
import io.featureingest.spec.SourceColumns;
import io.featureingest.spec.SqliteStoreConfig;
import io.featureingest.spec.StreamSource;
import io.featureingest.spec.ValueType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * The stream tests' table, "trips": driver_id INT64 -> rating DOUBLE, trips INT32, status STRING;
 * its messages nest the values ({@code driver.id}, {@code stats.rating}) and carry {@code
 * event_time}; plus Avro encoding and a SQLite store to read back.
 */
final class StreamTables {
  static final String AVRO_SCHEMA =
      """
      {"type":"record","name":"Trip","namespace":"example","fields":[
        {"name":"driver","type":{"type":"record","name":"Driver","fields":[
          {"name":"id","type":["null","long"]}]}},
        {"name":"stats","type":{"type":"record","name":"Stats","fields":[
          {"name":"rating","type":"double"},{"name":"trips","type":"int"}]}},
        {"name":"status","type":{"type":"enum","name":"Status","symbols":["ACTIVE","IDLE"]}},
        {"name":"event_time","type":{"type":"long","logicalType":"timestamp-millis"}}]}
      """;

  static final Map<String, String> MAPPING =
      Map.of("driver_id", "driver.id", "rating", "stats.rating", "trips", "stats.trips");

  private StreamTables() {}

  static SourceColumns streamColumns() {
    return new SourceColumns("event_time", Optional.empty(), MAPPING, Optional.empty());
  }

  static FeatureTable trips(String batchPath, FileFormat format, StreamSource stream) {
    return new FeatureTable(
        "trips",
        List.of(Entity.of("driver_id", ValueType.INT64)),
        List.of(
            Feature.of("rating", ValueType.DOUBLE),
            Feature.of("trips", ValueType.INT32),
            Feature.of("status", ValueType.STRING)),
        Optional.empty(),
        Map.of(),
        new FileSource(format, batchPath, SourceColumns.of("event_time", "created")),
        Optional.ofNullable(stream));
  }

  static KafkaSource kafka(
      String servers,
      String topic,
      MessageFormat format,
      boolean log,
      Map<String, String> options) {
    return new KafkaSource(servers, topic, "earliest", options, format, log, streamColumns());
  }

  static AvroFormat avro(boolean confluent) {
    return new AvroFormat(Optional.of(AVRO_SCHEMA), Optional.empty(), confluent);
  }

  /** One trip event, Avro binary; a null id makes an invalid row (null entity). */
  static byte[] avroTrip(Long id, double rating, int trips, String status, Instant at) {
    Schema schema = new Schema.Parser().parse(AVRO_SCHEMA);
    GenericRecord driver = new GenericData.Record(schema.getField("driver").schema());
    driver.put("id", id);
    GenericRecord stats = new GenericData.Record(schema.getField("stats").schema());
    stats.put("rating", rating);
    stats.put("trips", trips);
    GenericRecord r = new GenericData.Record(schema);
    r.put("driver", driver);
    r.put("stats", stats);
    r.put("status", new GenericData.EnumSymbol(schema.getField("status").schema(), status));
    r.put("event_time", at.toEpochMilli());
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
      new GenericDatumWriter<GenericRecord>(schema).write(r, enc);
      enc.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The Confluent wire format: magic byte 0, a 4-byte schema id, then the Avro bytes. */
  static byte[] confluent(byte[] avro, int schemaId) {
    byte[] out = new byte[avro.length + 5];
    out[0] = 0;
    out[1] = (byte) (schemaId >>> 24);
    out[2] = (byte) (schemaId >>> 16);
    out[3] = (byte) (schemaId >>> 8);
    out[4] = (byte) schemaId;
    System.arraycopy(avro, 0, out, 5, avro.length);
    return out;
  }

  static OnlineStore.Opener sqlite(String path) {
    return SqliteOnlineStore.opener(new SqliteStoreConfig(path, 500, 3, 5000));
  }

  static Push.Settings settings(OnlineStore.Opener store, double maxInvalidFraction) {
    return new Push.Settings(store, 500, Optional.empty(), maxInvalidFraction, false);
  }

  /** The stored rows of these driver ids, as id -> [rating, trips, status, event time]. */
  static Map<Long, List<Object>> online(
      OnlineStore.Opener opener, FeatureTable table, long... ids) {
    List<List<Object>> keys = new ArrayList<>();
    for (long id : ids) {
      keys.add(List.of(id));
    }
    Map<Long, List<Object>> out = new LinkedHashMap<>();
    try (OnlineStore store = opener.open()) {
      List<Optional<OnlineRecord>> rows = store.read(OnlineTable.of(table), keys);
      for (int i = 0; i < ids.length; i++) {
        rows.get(i)
            .ifPresent(
                r -> {
                  List<Object> v = new ArrayList<>(r.values());
                  v.add(r.version().eventTimestamp());
                  out.put((Long) r.key().get(0), v);
                });
      }
    }
    return out;
  }
}
