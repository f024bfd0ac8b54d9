package io.featureingest.offline;

import static org.assertj.core.api.Assertions.assertThat;

import io.featureingest.offline.OfflineStore.WriteMode;
import io.featureingest.spec.BatchSource;
import io.featureingest.spec.Entity;
import io.featureingest.spec.Feature;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.FileFormat;
import io.featureingest.spec.FileSource;
import io.featureingest.spec.SourceColumns;
import io.featureingest.spec.ValueType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class DeltaStoreTest extends OfflineStoreContract {
  @Override
  BatchSource source(String name, SourceColumns columns) {
    return new FileSource(FileFormat.DELTA, dir.resolve(name).toString(), columns);
  }

  @Override
  OfflineStore open(FeatureTable table) {
    return new DeltaStore(table);
  }

  @Test
  void appendsAreStagedAndTheDedupMergeIsWrittenDirectly() {
    OfflineStore store = open(newTable("trips"));
    store.checkSpec(WriteMode.DEDUP);
    assertThat(store.stages(WriteMode.APPEND)).isTrue();
    assertThat(store.stages(WriteMode.DEDUP)).isFalse();
    Row row = RowFactory.create(1L, 1.5f, 1, java.sql.Timestamp.from(Instant.EPOCH), null);
    var rows = spark().createDataFrame(List.of(row, row), FRAME);
    assertThat(store.write(rows, WriteMode.DEDUP)).hasValue(1); // into a new table
    assertThat(store.write(rows, WriteMode.DEDUP)).hasValue(0); // the same again: no change
    assertThat(drivers(store.read(spark()))).containsExactly(1L);
  }

  @Test
  void windowIsHalfOpenOnAMappedStringEventTimeOfADeltaSource() {
    var spark = spark();
    StructType s = StructType.fromDDL("id BIGINT, ts STRING");
    String path = dir.resolve("t").toString();
    spark
        .createDataFrame(
            List.of(
                RowFactory.create(1L, "2020-01-01T00:00:00Z"),
                RowFactory.create(2L, "2020-01-01 23:59:59"),
                RowFactory.create(3L, "2020-01-02T00:00:00Z")),
            s)
        .write()
        .format("delta")
        .save(path);
    FileSource source =
        new FileSource(
            FileFormat.DELTA,
            path,
            new SourceColumns(
                "datetime", Optional.empty(), Map.of("datetime", "ts"), Optional.empty()));
    FeatureTable t =
        new FeatureTable(
            "t",
            List.of(Entity.of("id", ValueType.INT64)),
            List.of(Feature.of("v", ValueType.STRING)), // not read by a window
            Optional.empty(),
            Map.of(),
            source,
            Optional.empty());
    var rows =
        open(t)
            .read(
                spark,
                Instant.parse("2020-01-01T00:00:00Z"),
                Instant.parse("2020-01-02T00:00:00Z"));
    assertThat(rows.orderBy("id").collectAsList())
        .extracting(r -> r.getLong(0))
        .containsExactly(1L, 2L);
  }
}
