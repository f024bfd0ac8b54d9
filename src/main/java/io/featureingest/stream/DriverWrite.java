package io.featureingest.stream;

import io.featureingest.ingest.TableFrame;
import io.featureingest.metrics.PipelineMetrics;
import io.featureingest.online.OnlineRecord;
import io.featureingest.online.OnlineStore;
import io.featureingest.online.OnlineTable;
import io.featureingest.online.OnlineWriter;
import io.featureingest.online.Version;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * The latest rows of a small micro-batch, already on the driver, written newer-wins from the
 * driver: no second Spark job (its scheduling and code generation cost more than writing a few
 * thousand rows). The same records, batches and counts as {@link OnlineWriter} writes from tasks.
 */
final class DriverWrite {
  private DriverWrite() {}

  static OnlineWriter.Counts write(
      Collection<Row> rows,
      String[] columns,
      OnlineTable table,
      OnlineStore.Opener opener,
      int batchSize) {
    if (rows.isEmpty()) {
      return new OnlineWriter.Counts(0, 0);
    }
    List<String> all = Arrays.asList(columns);
    int[] entity = table.entityNames().stream().mapToInt(all::indexOf).toArray();
    int[] features = table.featureNames().stream().mapToInt(all::indexOf).toArray();
    int event = all.indexOf(TableFrame.EVENT_TS);
    int created = all.indexOf(TableFrame.CREATED_TS);
    long landed = 0;
    long sent = 0;
    try (OnlineStore store = opener.open()) {
      List<OnlineRecord> batch = new ArrayList<>(batchSize);
      var it = rows.iterator();
      while (it.hasNext()) {
        batch.add(record(it.next(), entity, features, event, created));
        if (batch.size() == batchSize || !it.hasNext()) {
          long started = System.nanoTime();
          landed += store.write(table, batch);
          PipelineMetrics.onlineWrite(table.name(), System.nanoTime() - started);
          sent += batch.size();
          batch.clear();
        }
      }
    } catch (Exception e) {
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("closing the online store: " + e, e);
    }
    return new OnlineWriter.Counts(landed, sent - landed);
  }

  static OnlineRecord record(Row row, int[] entity, int[] features, int event, int created) {
    List<Object> key = new ArrayList<>(entity.length);
    for (int i : entity) {
      key.add(javaValue(row.get(i)));
    }
    List<Object> values = new ArrayList<>(features.length);
    for (int i : features) {
      values.add(javaValue(row.get(i)));
    }
    Instant createdTs = created < 0 ? null : (Instant) javaValue(row.get(created));
    return new OnlineRecord(
        key, Version.of((Instant) javaValue(row.get(event)), createdTs), values);
  }

  /** Spark's external row values to the plain Java values the stores know (as OnlineWriter). */
  static Object javaValue(Object v) {
    if (v instanceof Timestamp t) {
      return t.toInstant();
    }
    if (v instanceof scala.collection.Seq<?> seq) {
      List<Object> out = new ArrayList<>(seq.size());
      scala.collection.Iterator<?> it = seq.iterator();
      while (it.hasNext()) {
        out.add(javaValue(it.next()));
      }
      return out;
    }
    return v;
  }
}
