package io.featureingest.stream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import io.featureingest.source.stream.RawMessages;
import java.sql.Timestamp;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.util.AccumulatorV2;
import org.apache.spark.util.LongAccumulator;

/**
 * Counts a micro-batch's messages, and finds the oldest broker time among them, in the same pass
 * that keeps the decoded ones: the filter that drops undecodable messages counts every row it sees.
 * So the batch needs no separate count job; the figures are read once the first job is done (Spark
 * applies a successful task's accumulator updates once, and drops those of failed tasks).
 */
final class MessageTally implements java.io.Serializable {
  private final LongAccumulator messages;
  private final MinAccumulator oldestSource;
  private final LongAccumulator valid;
  private final MinAccumulator newestValidNegated;

  private MessageTally(SparkContext sc) {
    messages = sc.longAccumulator("stream messages");
    valid = sc.longAccumulator("stream valid messages");
    oldestSource = new MinAccumulator();
    sc.register(oldestSource, "stream oldest source time");
    newestValidNegated = new MinAccumulator();
    sc.register(newestValidNegated, "stream newest event time, negated");
  }

  static MessageTally register(SparkContext sc) {
    return new MessageTally(sc);
  }

  /** From a task of the first job: its valid rows and their newest event time (epoch millis). */
  void addValid(long n, long newestMillis) {
    valid.add(n);
    if (n > 0) {
      newestValidNegated.add(-newestMillis);
    }
  }

  long valid() {
    return valid.value();
  }

  /** The newest event time among valid rows, {@code Long.MIN_VALUE} when none. */
  long newestValidMillis() {
    long v = newestValidNegated.value();
    return v == Long.MAX_VALUE ? Long.MIN_VALUE : -v;
  }

  /** The decoded messages (without the decode error column), counting every message on the way. */
  Dataset<Row> messagesOf(Dataset<Row> decoded) {
    LongAccumulator n = messages;
    MinAccumulator oldest = oldestSource;
    UserDefinedFunction counting =
        udf(
                (UDF2<String, Timestamp, Boolean>)
                    (error, sourceTs) -> {
                      n.add(1);
                      if (sourceTs != null) {
                        oldest.add(sourceTs.getTime());
                      }
                      return error == null;
                    },
                DataTypes.BooleanType)
            .asNondeterministic();
    return decoded
        .where(counting.apply(col(RawMessages.DECODE_ERROR), col(RawMessages.SOURCE_TS)))
        .drop(RawMessages.DECODE_ERROR);
  }

  /** Messages seen by the first job, decoded or not. */
  long messages() {
    return messages.value();
  }

  /** The oldest broker time (epoch millis) among them, {@code Long.MAX_VALUE} when none. */
  long oldestSourceMillis() {
    return oldestSource.value();
  }

  /** The smallest long added, {@code Long.MAX_VALUE} when nothing was. */
  static final class MinAccumulator extends AccumulatorV2<Long, Long> {
    private long min = Long.MAX_VALUE;

    @Override
    public boolean isZero() {
      return min == Long.MAX_VALUE;
    }

    @Override
    public AccumulatorV2<Long, Long> copy() {
      MinAccumulator c = new MinAccumulator();
      c.min = min;
      return c;
    }

    @Override
    public void reset() {
      min = Long.MAX_VALUE;
    }

    @Override
    public void add(Long v) {
      min = Math.min(min, v);
    }

    @Override
    public void merge(AccumulatorV2<Long, Long> other) {
      min = Math.min(min, other.value());
    }

    @Override
    public Long value() {
      return min;
    }
  }
}
