package io.featureingest.offline;

import io.featureingest.rows.Projection;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.FileSource;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.DeltaOperations;
import org.apache.spark.sql.delta.DeltaOptions;
import org.apache.spark.sql.delta.OptimisticTransaction;
import org.apache.spark.sql.delta.OptimisticTransaction$;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.delta.actions.AddFile;
import org.apache.spark.sql.delta.commands.WriteIntoDelta;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * A Delta append staged in an open transaction: Delta's own write command ({@code WriteIntoDelta},
 * the code behind {@code df.write.format("delta").mode("append")}) writes the data files and
 * answers the actions, and nothing is in the log until {@link #commit} commits them as one version.
 * {@link #abort} deletes the written files, which no version refers to.
 *
 * <p>A table this creates gets {@code delta.dataSkippingStatsColumns} = the entity columns and the
 * event timestamp column: those are what readers filter on (windows, MERGE keys), and min/max
 * statistics on every feature column cost more CPU than the rest of the write.
 */
final class DeltaStaging implements StagedWrite {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaStaging.class);
  private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** The table property limiting Delta's per-file statistics to some columns. */
  static final String STATS_COLUMNS = "delta.dataSkippingStatsColumns";

  private final SparkSession spark;
  private final DeltaLog log;
  private final OptimisticTransaction txn;
  private final Seq<Action> actions;
  private final List<String> partitionBy;
  private final boolean creating;

  private DeltaStaging(
      SparkSession spark,
      DeltaLog log,
      OptimisticTransaction txn,
      Seq<Action> actions,
      List<String> partitionBy,
      boolean creating) {
    this.spark = spark;
    this.log = log;
    this.txn = txn;
    this.actions = actions;
    this.partitionBy = partitionBy;
    this.creating = creating;
  }

  /** Writes {@code stored} (the stored layout) as data files of a transaction left open. */
  static StagedWrite write(
      SparkSession spark, Dataset<Row> stored, FeatureTable table, FileSource f) {
    DeltaLog log = DeltaLog.forTable(spark, f.path());
    OptimisticTransaction txn = log.startTransaction(Option.empty(), Option.empty());
    boolean creating = txn.readVersion() < 0;
    List<String> partitionBy = f.columns().datePartitionColumn().stream().toList();
    Map<String, String> properties =
        creating ? Map.of(STATS_COLUMNS, statsColumns(table)) : Map.of();
    WriteIntoDelta command =
        new WriteIntoDelta(
            log,
            SaveMode.Append,
            // a feature added to the spec becomes a column of the table, in this transaction
            new DeltaOptions(
                scalaMap(Map.of(DeltaStore.MERGE_SCHEMA, "true")), spark.sessionState().conf()),
            seq(partitionBy),
            scalaMap(properties),
            stored,
            Option.empty(),
            Option.empty());
    OptimisticTransaction$.MODULE$.setActive(txn);
    Seq<Action> actions;
    try {
      actions = command.write(txn, spark, Option.empty(), false);
    } finally {
      OptimisticTransaction$.MODULE$.clearActive();
    }
    return new DeltaStaging(spark, log, txn, actions, partitionBy, creating);
  }

  /** The entity columns and the event timestamp column, as the table property lists them. */
  static String statsColumns(FeatureTable table) {
    List<String> names = new ArrayList<>(table.entityNames());
    names.add(table.batchSource().columns().eventTimestampColumn());
    return names.stream()
        .map(n -> PLAIN_NAME.matcher(n).matches() ? n : Projection.quote(n))
        .collect(Collectors.joining(","));
  }

  @Override
  public OptionalLong rows() {
    long sum = 0;
    for (AddFile a : addFiles()) {
      Option<Object> n = a.numLogicalRecords();
      if (n.isEmpty()) {
        return OptionalLong.empty();
      }
      sum += (Long) n.get();
    }
    return OptionalLong.of(sum);
  }

  @Override
  public void commit() {
    txn.commitIfNeeded(
        actions,
        new DeltaOperations.Write(
            SaveMode.Append, Option.apply(seq(partitionBy)), Option.empty(), Option.empty()),
        scalaMap(Map.of()));
  }

  @Override
  public void abort() {
    if (txn.committed()) {
      return; // the files are the table's now, whatever failed after the commit
    }
    try {
      FileSystem fs = log.dataPath().getFileSystem(spark.sparkContext().hadoopConfiguration());
      for (AddFile a : addFiles()) {
        fs.delete(new Path(log.dataPath(), new Path(new URI(a.path()))), false);
      }
      Path logDir = log.logPath();
      // A table this run would have created: leave no empty _delta_log behind.
      if (creating && fs.exists(logDir) && fs.listStatus(logDir).length == 0) {
        fs.delete(logDir, false);
      }
    } catch (IOException | URISyntaxException | RuntimeException e) {
      LOG.warn("cannot remove the uncommitted files of {}: {}", log.dataPath(), e.getMessage());
    }
  }

  private List<AddFile> addFiles() {
    List<AddFile> out = new ArrayList<>();
    for (Action a : JavaConverters.seqAsJavaList(actions)) {
      if (a instanceof AddFile add) {
        out.add(add);
      }
    }
    return out;
  }

  private static Seq<String> seq(List<String> list) {
    return JavaConverters.asScalaBuffer(new ArrayList<>(list)).toList();
  }

  @SuppressWarnings("unchecked")
  private static scala.collection.immutable.Map<String, String> scalaMap(Map<String, String> m) {
    scala.collection.immutable.Map<String, String> out =
        scala.collection.immutable.Map$.MODULE$.empty();
    for (var e : m.entrySet()) {
      out = (scala.collection.immutable.Map<String, String>) out.updated(e.getKey(), e.getValue());
    }
    return out;
  }
}
