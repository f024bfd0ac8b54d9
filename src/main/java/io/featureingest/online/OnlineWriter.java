package io.featureingest.online;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.featureingest.metrics.PipelineMetrics;
import io.featureingest.rows.NewestByHash;
import io.featureingest.rows.Projection;
import io.featureingest.rows.SparkTypes;
import io.featureingest.rows.TableFrame;
import io.featureingest.spec.ValueType;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.execution.SQLExecution;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import scala.Option;

/**
 * Writes a {@link TableFrame} to the online store from the executors, deduplicated on the way
 * ({@link #writeLatest}) or as it is ({@link #write}): each task opens its own store, sends rows in
 * batches of {@code batchSize}, and closes it. Counts what landed and what was not newer than the
 * stored row.
 */
public final class OnlineWriter {
  /**
   * Batches a task hands the store at once. A round trip to Redis on a busy machine cost about 10
   * ms against 2 ms of server work per batch of 2000 keys, so a task that waited after each batch
   * spent most of the write stage waiting.
   */
  static final int BATCHES_PER_CALL = 16;

  /** At most this many rows per call (a few MB of encoded rows). */
  static final int ROWS_PER_CALL = 50_000;

  private OnlineWriter() {}

  /** Rows that landed, and rows the store kept its own (newer or equal) version for. */
  public record Counts(long written, long notNewer) {}

  /**
   * Writes the frame's rows as they are (a key may appear more than once: compare-and-set keeps the
   * greatest version).
   */
  public static Counts write(
      Dataset<Row> frame, OnlineTable table, OnlineStore.Opener opener, int batchSize) {
    return write(forWrite(frame, table), table, opener, batchSize, false);
  }

  /**
   * Keeps the latest row per entity key (one shuffle on the key hash, then {@link NewestByHash} in
   * each writing task, on Spark's binary rows) and writes it; the values are encoded from those
   * rows directly. Only the table's columns go through the shuffle, into {@link #writeTasks} tasks
   * for the frame's {@code rows} (a count or an upper bound).
   */
  public static Counts writeLatest(
      Dataset<Row> frame, OnlineTable table, OnlineStore.Opener opener, int batchSize, long rows) {
    int tasks = writeTasks(rows, frame.sparkSession().sparkContext().defaultParallelism());
    return write(
        NewestByHash.hashedByKey(forWrite(frame, table), table.entityNames(), tasks),
        table,
        opener,
        batchSize,
        true);
  }

  /**
   * Tasks of the dedup-and-write stage: enough that a task holds at most {@link #ROWS_PER_TASK}
   * rows, well within {@link NewestByHash}'s memory bound (AQE's coalescing sizes tasks by
   * compressed shuffle bytes, not rows), and at least {@link #TASKS_PER_CORE} per core, so that one
   * task can read and deduplicate while another waits for the store.
   */
  static int writeTasks(long rows, int cores) {
    long bySize = rows / ROWS_PER_TASK + (rows % ROWS_PER_TASK == 0 ? 0 : 1);
    return (int) Math.min(100_000, Math.max((long) TASKS_PER_CORE * Math.max(1, cores), bySize));
  }

  static final int TASKS_PER_CORE = 4;

  static final long ROWS_PER_TASK = 1_000_000;

  private static Counts write(
      Dataset<Row> rows,
      OnlineTable table,
      OnlineStore.Opener opener,
      int batchSize,
      boolean latest) {
    var sc = rows.sparkSession().sparkContext();
    LongAccumulator written = sc.longAccumulator("online rows written: " + table.name());
    LongAccumulator sent = sc.longAccumulator("online rows sent: " + table.name());
    StructType schema = rows.schema();
    List<String> entities = table.entityNames();
    sc.setJobDescription("write " + table.name() + " to the online store");
    QueryExecution qe = rows.queryExecution();
    // Spark's own rows (no Row objects): as Dataset.foreachPartition runs it, minus the conversion
    SQLExecution.withNewExecutionId(
        qe,
        Option.apply("write " + table.name() + " to the online store"),
        (scala.Function0<Object>)
            () -> {
              qe.toRdd()
                  .toJavaRDD()
                  .foreachPartition(
                      it -> {
                        Iterator<InternalRow> src =
                            latest ? NewestByHash.newest(it, schema, entities) : it;
                        if (!src.hasNext()) {
                          return;
                        }
                        try (OnlineStore store = opener.open()) {
                          SparkRowEncoder encoder = new SparkRowEncoder(new OnlineCodec(table));
                          Counts c =
                              writeAll(
                                  src,
                                  (batch, row) -> batch.add(encoder.key(row), encoder.value(row)),
                                  table,
                                  store,
                                  batchSize);
                          written.add(c.written());
                          sent.add(c.written() + c.notNewer());
                        }
                      });
              return null;
            });
    sc.setJobDescription(null);
    return new Counts(written.value(), sent.value() - written.value());
  }

  /**
   * The table's columns in {@link SparkRowEncoder}'s order and types: entities, features, event and
   * created timestamp (null when the frame has none).
   */
  static Dataset<Row> forWrite(Dataset<Row> frame, OnlineTable table) {
    List<String> columns = Arrays.asList(frame.columns());
    if (!columns.contains(TableFrame.EVENT_TS)) {
      throw new IllegalArgumentException("not a TableFrame, no " + TableFrame.EVENT_TS);
    }
    List<Column> out = new ArrayList<>();
    addAll(out, columns, table.entityNames(), table.entityTypes());
    addAll(out, columns, table.featureNames(), table.featureTypes());
    out.add(col(TableFrame.EVENT_TS).cast(DataTypes.TimestampType));
    out.add(
        (columns.contains(TableFrame.CREATED_TS) ? col(TableFrame.CREATED_TS) : lit(null))
            .cast(DataTypes.TimestampType)
            .as(TableFrame.CREATED_TS));
    return frame.select(out.toArray(Column[]::new));
  }

  private static void addAll(
      List<Column> out, List<String> columns, List<String> names, List<ValueType> types) {
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      if (!columns.contains(name)) {
        throw new IllegalArgumentException("column " + name + " is missing from " + columns);
      }
      out.add(col(Projection.quote(name)).cast(SparkTypes.of(types.get(i))).as(name));
    }
  }

  /**
   * The one write loop, for Spark's binary rows in the tasks and external rows on the driver:
   * {@code encode} adds a row's key and value bytes to the batch, and the store gets calls of up to
   * {@link #BATCHES_PER_CALL} batches. The store splits a call into batches of batch_size (Redis
   * commands, SQLite transactions); Redis pipelines all of a call's batches, so the task waits for
   * replies once per call.
   */
  private static <R> Counts writeAll(
      Iterator<R> rows,
      BiConsumer<EncodedRows, R> encode,
      OnlineTable table,
      OnlineStore store,
      int batchSize) {
    long landed = 0;
    long sent = 0;
    int perCall = (int) Math.min(ROWS_PER_CALL, (long) batchSize * BATCHES_PER_CALL);
    EncodedRows batch = new EncodedRows(Math.min(perCall, 65536));
    while (rows.hasNext()) {
      encode.accept(batch, rows.next());
      if (batch.size() >= perCall || !rows.hasNext()) {
        long started = System.nanoTime();
        landed += store.writeEncoded(table, batch);
        PipelineMetrics.onlineWrite(table.name(), System.nanoTime() - started);
        sent += batch.size();
        batch.clear();
      }
    }
    return new Counts(landed, sent - landed);
  }

  /**
   * The same write from the driver, for rows already there (a small stream micro-batch): no Spark
   * job, whose scheduling would cost more than writing a few thousand rows.
   */
  public static Counts writeFromDriver(
      Collection<Row> rows,
      String[] columns,
      OnlineTable table,
      OnlineStore.Opener opener,
      int batchSize) {
    if (rows.isEmpty()) {
      return new Counts(0, 0);
    }
    try (OnlineStore store = opener.open()) {
      Columns c = Columns.of(columns, table);
      OnlineCodec codec = new OnlineCodec(table);
      return writeAll(
          rows.iterator(),
          (batch, row) -> {
            OnlineRecord r = record(row, c.entity, c.features, c.event, c.created);
            batch.add(codec.key(r.key()), codec.encode(r.version(), r.values()));
          },
          table,
          store,
          batchSize);
    }
  }

  /** Where a frame keeps the table's columns. */
  private record Columns(int[] entity, int[] features, int event, int created)
      implements java.io.Serializable {
    static Columns of(String[] columns, OnlineTable table) {
      int event = Arrays.asList(columns).indexOf(TableFrame.EVENT_TS);
      if (event < 0) {
        throw new IllegalArgumentException("not a TableFrame, no " + TableFrame.EVENT_TS);
      }
      return new Columns(
          indexes(columns, table.entityNames()),
          indexes(columns, table.featureNames()),
          event,
          Arrays.asList(columns).indexOf(TableFrame.CREATED_TS));
    }
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
    Instant createdTs = created < 0 ? null : instant(row.get(created));
    return new OnlineRecord(key, Version.of(instant(row.get(event)), createdTs), values);
  }

  private static Instant instant(Object v) {
    if (v == null) {
      return null;
    }
    return v instanceof Timestamp t ? t.toInstant() : (Instant) v;
  }

  /** Spark's external row values to the plain Java values {@link OnlineCodec} knows. */
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

  private static int[] indexes(String[] columns, List<String> names) {
    List<String> all = Arrays.asList(columns);
    int[] out = new int[names.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = all.indexOf(names.get(i));
      if (out[i] < 0) {
        throw new IllegalArgumentException("column " + names.get(i) + " is missing from " + all);
      }
    }
    return out;
  }
}
