package io.featureingest.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import io.featureingest.online.OnlineFeatures;
import io.featureingest.online.OnlineRecord;
import io.featureingest.online.OnlineStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /get-online-features}: reads each requested table once for all rows and answers in
 * Feast's {@code GetOnlineFeaturesResponse} JSON, column by column:
 *
 * <pre>{@code
 * {"metadata": {"feature_names": ["driver_id", "driver_rating"]},
 *  "results": [
 *    {"values": [1001, 1002], "statuses": ["PRESENT", "PRESENT"],
 *     "event_timestamps": ["1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z"]},
 *    {"values": [4.7, null], "statuses": ["PRESENT", "NOT_FOUND"],
 *     "event_timestamps": ["2021-04-12T10:59:42Z", "1970-01-01T00:00:00Z"]}]}
 * }</pre>
 *
 * Entity columns come first, with the request's values (Feast's zero timestamp); then each feature
 * in request order. A feature's status is PRESENT, NULL_VALUE (the row holds no value for it),
 * NOT_FOUND (no row for the key) or OUTSIDE_MAX_AGE (the row's event time is before now - max_age:
 * rule 6 serves no value for it; its event timestamp tells how old it is).
 */
final class OnlineRead {
  // Written thousands of times per answer: pre-encoded once.
  private static final SerializedString ZERO_TIME = new SerializedString("1970-01-01T00:00:00Z");
  private static final SerializedString[] STATUS =
      new SerializedString[ServerMetrics.STATUSES.length];

  static {
    for (int i = 0; i < STATUS.length; i++) {
      STATUS[i] = new SerializedString(ServerMetrics.STATUSES[i]);
    }
  }

  private static final int PRESENT = 0;
  private static final int NULL_VALUE = 1;
  private static final int NOT_FOUND = 2;
  private static final int OUTSIDE_MAX_AGE = 3;

  private final Catalog catalog;
  private final StorePool stores;
  private final ServerMetrics metrics;
  private final JsonFactory json;
  private final int maxRows;
  private final Clock clock;

  OnlineRead(
      Catalog catalog,
      StorePool stores,
      ServerMetrics metrics,
      JsonFactory json,
      int maxRows,
      Clock clock) {
    this.catalog = catalog;
    this.stores = stores;
    this.metrics = metrics;
    this.json = json;
    this.maxRows = maxRows;
    this.clock = clock;
  }

  byte[] answer(JsonNode body) {
    ReadRequest request = ReadRequest.parse(body, catalog, maxRows);
    List<List<Optional<OnlineRecord>>> stored =
        stores.with(
            store -> {
              List<List<Optional<OnlineRecord>>> out = new ArrayList<>();
              for (ReadRequest.TableRead read : request.reads()) {
                out.add(read(store, read));
              }
              return out;
            });
    Instant now = clock.instant();
    long[] oldest = new long[request.reads().size()];
    for (int i = 0; i < oldest.length; i++) {
      oldest[i] = OnlineFeatures.oldestMicros(request.reads().get(i).table(), now);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + 64 * request.rows());
    long[] counts = new long[ServerMetrics.STATUSES.length];
    try (JsonGenerator out = json.createGenerator(bytes)) {
      out.writeStartObject();
      out.writeObjectFieldStart("metadata");
      out.writeArrayFieldStart("feature_names");
      for (ReadRequest.EntityColumn e : request.entities()) {
        out.writeString(e.name());
      }
      for (ReadRequest.FeatureColumn f : request.features()) {
        out.writeString(f.name());
      }
      out.writeEndArray();
      out.writeEndObject();
      out.writeArrayFieldStart("results");
      for (ReadRequest.EntityColumn e : request.entities()) {
        writeEntity(out, e, request.rows());
      }
      int[] status = new int[request.rows()];
      // A table's rows share their event timestamps across its features: format each once.
      String[][] times = new String[request.reads().size()][];
      for (ReadRequest.FeatureColumn f : request.features()) {
        List<Optional<OnlineRecord>> rows = stored.get(f.read());
        if (times[f.read()] == null) {
          times[f.read()] = timestamps(rows);
        }
        String[] time = times[f.read()];
        out.writeStartObject();
        out.writeArrayFieldStart("values");
        for (int r = 0; r < request.rows(); r++) {
          OnlineRecord record = rows.get(r).orElse(null);
          Object v = null;
          if (record == null) {
            status[r] = NOT_FOUND;
          } else if (record.version().eventMicros() < oldest[f.read()]) {
            status[r] = OUTSIDE_MAX_AGE;
          } else {
            v = record.values().get(f.featureIndex());
            status[r] = v == null ? NULL_VALUE : PRESENT;
          }
          counts[status[r]]++;
          JsonValues.write(out, v, f.type());
        }
        out.writeEndArray();
        out.writeArrayFieldStart("statuses");
        for (int r = 0; r < request.rows(); r++) {
          out.writeString(STATUS[status[r]]);
        }
        out.writeEndArray();
        out.writeArrayFieldStart("event_timestamps");
        for (int r = 0; r < request.rows(); r++) {
          if (time[r] == null) {
            out.writeString(ZERO_TIME);
          } else {
            out.writeString(time[r]);
          }
        }
        out.writeEndArray();
        out.writeEndObject();
      }
      out.writeEndArray();
      out.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    metrics.values(counts, request.rows());
    return bytes.toByteArray();
  }

  private static String[] timestamps(List<Optional<OnlineRecord>> rows) {
    String[] out = new String[rows.size()];
    for (int r = 0; r < out.length; r++) {
      OnlineRecord record = rows.get(r).orElse(null);
      out[r] = record == null ? null : Rfc3339.format(record.version().eventMicros());
    }
    return out;
  }

  private static List<Optional<OnlineRecord>> read(OnlineStore store, ReadRequest.TableRead read) {
    return read.keys().isEmpty() ? List.of() : store.read(read.table(), read.keys());
  }

  private static void writeEntity(JsonGenerator out, ReadRequest.EntityColumn e, int rows)
      throws IOException {
    out.writeStartObject();
    out.writeArrayFieldStart("values");
    for (Object v : e.values()) {
      JsonValues.write(out, v, e.type());
    }
    out.writeEndArray();
    out.writeArrayFieldStart("statuses");
    for (int r = 0; r < rows; r++) {
      out.writeString(STATUS[PRESENT]);
    }
    out.writeEndArray();
    out.writeArrayFieldStart("event_timestamps");
    for (int r = 0; r < rows; r++) {
      out.writeString(ZERO_TIME);
    }
    out.writeEndArray();
    out.writeEndObject();
  }
}
