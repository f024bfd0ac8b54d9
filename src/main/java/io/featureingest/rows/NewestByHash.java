package io.featureingest.rows;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.Platform;

/**
 * Rule 2 ({@link NewestRow}) inside one task of {@link #hashedByKey}'s output, without sorting it:
 * the task's rows are copied into pages as they come, and an open-addressing table on the key hash
 * points at the newest row of each key so far. A row that loses is never copied; a row that wins
 * marks the one it replaces as dead. The newest rows then come out in one pass over the pages, in
 * arrival order.
 *
 * <p>This replaced a sort of the partition on the key hash: on 1M rows over 500k keys the sorted
 * pass over the sorter's records, which jumps around memory once per row, took 30% of the write
 * tasks' CPU samples, more than anything else in them. Here a row costs one probe of a table of 16
 * bytes per key, and only a repeated key makes a jump into the pages; runs of both ways in one JVM
 * gave a median write stage of 0.99 s against 1.09 s (docs/online-store.md). Which row wins is
 * {@link NewestRow#compare(InternalRow, InternalRow)}'s decision (version, then the other columns).
 *
 * <p>Memory is bounded: once the pages hold {@code maxBytes}, the rows kept so far come out, the
 * table starts empty and the task goes on. A key can then come out once per such round, each time
 * with the newest version of its round; the online store's compare-and-set keeps the newest of them
 * (rule 4), so the store ends the same, but two rows of exactly equal version in different rounds
 * keep the one written first. Partitions of a materialize are sized far below the bound.
 */
public final class NewestByHash implements Iterator<InternalRow> {
  /** Page size: below G1's humongous threshold for heaps of 2 GB and more. */
  static final int PAGE_BYTES = 1 << 20;

  /** Bytes of a row's header in a page: its size (negative once a newer row replaced it). */
  private static final int HEADER = 8;

  /** The key hash column {@link #hashedByKey} adds as the last column. */
  static final String KEY_HASH = "_fi_key_hash";

  private final Iterator<InternalRow> rows;
  private final HashedKeys keys;
  private final NewestRow rule;
  private final StructType schema;
  private UnsafeProjection toUnsafe; // made on the first row that is not an UnsafeRow
  private final long maxBytes;
  private final UnsafeRow probe;
  private final UnsafeRow out;

  private byte[][] pages = new byte[8][];
  private int[] pageEnds = new int[8]; // bytes used in each page
  private int pageCount;
  private long bytes; // bytes in all pages

  /** Per slot: the key hash, then the address of the key's newest row + 1 (0: empty). */
  private long[] slots = new long[2 * 1024];

  private int keyCount;
  private int rounds;

  // the pass that hands the kept rows out
  private boolean emitting;
  private int emitPage;
  private int emitOffset;
  private boolean ready;
  private boolean done;

  private NewestByHash(
      Iterator<InternalRow> rows, StructType schema, List<String> keyColumns, long maxBytes) {
    this.rows = rows;
    this.keys = HashedKeys.of(schema, keyColumns, KEY_HASH);
    List<String> notCompared = new ArrayList<>(keyColumns);
    notCompared.add(KEY_HASH);
    this.rule = NewestRow.ofFrame(schema, notCompared);
    this.schema = schema;
    this.maxBytes = maxBytes;
    this.probe = new UnsafeRow(schema.size());
    this.out = new UnsafeRow(schema.size());
  }

  /**
   * The frame with its key hash as an extra last column, hash-partitioned on it into {@code
   * partitions} tasks and not sorted: all rows of a key are in one task, where {@link #newest}
   * takes the newest row per key from Spark's rows (what the online writer does, without turning
   * rows into {@code Row}s).
   */
  public static Dataset<Row> hashedByKey(
      Dataset<Row> frame, List<String> keyColumns, int partitions) {
    Column[] keys = keyColumns.stream().map(k -> col(Projection.quote(k))).toArray(Column[]::new);
    return frame.withColumn(KEY_HASH, xxhash64(keys)).repartition(partitions, col(KEY_HASH));
  }

  /**
   * The newest row per key of one partition of {@link #hashedByKey}'s output (the hash column
   * last). The row handed out is reused: it is valid until the next call of {@code next}.
   */
  public static Iterator<InternalRow> newest(
      Iterator<InternalRow> rows, StructType hashedSchema, List<String> keyColumns) {
    return newest(rows, hashedSchema, keyColumns, defaultMaxBytes());
  }

  static NewestByHash newest(
      Iterator<InternalRow> rows, StructType hashedSchema, List<String> keyColumns, long maxBytes) {
    return new NewestByHash(rows, hashedSchema, keyColumns, maxBytes);
  }

  /** A sixteenth of the heap, at most 256 MB: a task's share of an executor's user memory. */
  static long defaultMaxBytes() {
    return Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 16);
  }

  /** How many times the pages filled up and the rows so far came out early. */
  int earlyRounds() {
    return rounds;
  }

  @Override
  public boolean hasNext() {
    while (!ready) {
      if (done) {
        return false;
      }
      if (emitting) {
        if (advance()) {
          ready = true;
        } else {
          emitting = false;
          if (!rows.hasNext()) {
            done = true;
            return false;
          }
          clear();
        }
      } else {
        fill();
        emitting = true;
        emitPage = 0;
        emitOffset = 0;
      }
    }
    return true;
  }

  @Override
  public InternalRow next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    ready = false;
    return out;
  }

  /** Reads rows until the input ends or the pages are full. */
  private void fill() {
    while (rows.hasNext() && bytes < maxBytes) {
      InternalRow row = rows.next();
      offer(row instanceof UnsafeRow u ? u : unsafe(row));
    }
    if (rows.hasNext()) {
      rounds++;
    }
  }

  private UnsafeRow unsafe(InternalRow row) {
    if (toUnsafe == null) {
      toUnsafe = UnsafeProjection.create(schema);
    }
    return toUnsafe.apply(row);
  }

  private void offer(UnsafeRow row) {
    long hash = keys.hash(row);
    int mask = slots.length / 2 - 1;
    int at = mix(hash) & mask;
    while (slots[2 * at + 1] != 0) {
      if (slots[2 * at] == hash) {
        long address = slots[2 * at + 1] - 1;
        pointTo(probe, address);
        if (keys.same(probe, row)) {
          if (rule.compare(row, probe) > 0) {
            markDead(address);
            slots[2 * at + 1] = append(row) + 1;
          }
          return;
        }
      }
      at = (at + 1) & mask;
    }
    slots[2 * at] = hash;
    slots[2 * at + 1] = append(row) + 1;
    if (++keyCount * 2 > slots.length / 2) {
      grow();
    }
  }

  private static int mix(long hash) {
    long h = hash * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }

  /** Doubles the table (load stays at most one half). */
  private void grow() {
    long[] old = slots;
    slots = new long[old.length * 2];
    int mask = slots.length / 2 - 1;
    for (int s = 0; s < old.length; s += 2) {
      if (old[s + 1] != 0) {
        int at = mix(old[s]) & mask;
        while (slots[2 * at + 1] != 0) {
          at = (at + 1) & mask;
        }
        slots[2 * at] = old[s];
        slots[2 * at + 1] = old[s + 1];
      }
    }
  }

  /** Copies the row into the pages: its address (page << 32 | offset of its header). */
  private long append(UnsafeRow row) {
    int size = row.getSizeInBytes();
    int need = HEADER + size;
    if (pageCount == 0 || pageEnds[pageCount - 1] + need > pages[pageCount - 1].length) {
      if (pageCount == pages.length) {
        pages = Arrays.copyOf(pages, pageCount * 2);
        pageEnds = Arrays.copyOf(pageEnds, pageCount * 2);
      }
      if (pages[pageCount] == null || pages[pageCount].length < need) {
        pages[pageCount] = new byte[Math.max(PAGE_BYTES, need)];
      }
      pageEnds[pageCount++] = 0;
    }
    byte[] page = pages[pageCount - 1];
    int used = pageEnds[pageCount - 1];
    Platform.putInt(page, Platform.BYTE_ARRAY_OFFSET + used, size);
    Platform.copyMemory(
        row.getBaseObject(),
        row.getBaseOffset(),
        page,
        Platform.BYTE_ARRAY_OFFSET + used + HEADER,
        size);
    long address = ((long) (pageCount - 1) << 32) | used;
    pageEnds[pageCount - 1] = used + need;
    bytes += need;
    return address;
  }

  private void pointTo(UnsafeRow row, long address) {
    byte[] page = pages[(int) (address >>> 32)];
    int offset = (int) address;
    int size = Platform.getInt(page, Platform.BYTE_ARRAY_OFFSET + offset);
    row.pointTo(page, Platform.BYTE_ARRAY_OFFSET + offset + HEADER, Math.abs(size));
  }

  private void markDead(long address) {
    byte[] page = pages[(int) (address >>> 32)];
    long at = Platform.BYTE_ARRAY_OFFSET + (int) address;
    Platform.putInt(page, at, -Math.abs(Platform.getInt(page, at)));
  }

  /** Moves {@link #out} to the next live row of the pages; false at their end. */
  private boolean advance() {
    while (emitPage < pageCount) {
      byte[] page = pages[emitPage];
      while (emitOffset < pageEnds[emitPage]) {
        int size = Platform.getInt(page, Platform.BYTE_ARRAY_OFFSET + emitOffset);
        int offset = emitOffset;
        emitOffset += HEADER + Math.abs(size);
        if (size > 0) {
          out.pointTo(page, Platform.BYTE_ARRAY_OFFSET + offset + HEADER, size);
          return true;
        }
      }
      emitPage++;
      emitOffset = 0;
    }
    return false;
  }

  /** Empties pages and table for the next round; the pages are kept for reuse. */
  private void clear() {
    pageCount = 0;
    bytes = 0;
    keyCount = 0;
    Arrays.fill(slots, 0);
  }
}
