package io.featureingest.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featureingest.spec.BigQuerySource;
import io.featureingest.spec.ConfigException;
import io.featureingest.spec.FileFormat;
import io.featureingest.spec.FileSource;
import io.featureingest.spec.SourceColumns;
import io.featureingest.spec.StoreUnavailableException;
import io.featureingest.testing.TestSpark;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchReaderTest {
  @TempDir Path dir;

  @Test
  void windowIsHalfOpenOnAMappedStringEventTimeOfADeltaSource() {
    var spark = TestSpark.get();
    StructType s = new StructType().add("id", DataTypes.LongType).add("ts", DataTypes.StringType);
    String path = dir.resolve("t").toString();
    spark
        .createDataFrame(
            java.util.List.of(
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
    var rows =
        BatchReader.read(
            spark,
            source,
            Instant.parse("2020-01-01T00:00:00Z"),
            Instant.parse("2020-01-02T00:00:00Z"));
    assertThat(rows.orderBy("id").collectAsList())
        .extracting(r -> r.getLong(0))
        .containsExactly(1L, 2L);
  }

  @Test
  void missingSourceAndBigQueryAreClearErrors() {
    var spark = TestSpark.get();
    FileSource missing =
        new FileSource(
            FileFormat.PARQUET, dir.resolve("none").toString(), SourceColumns.of("datetime", null));
    assertThat(BatchReader.exists(spark, missing)).isFalse();
    assertThatThrownBy(() -> BatchReader.read(spark, missing))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("does not exist");
    BigQuerySource bq =
        new BigQuerySource(
            Optional.of("p:d.t"),
            Optional.empty(),
            null,
            null,
            null,
            null,
            SourceColumns.of("datetime", null));
    assertThatThrownBy(() -> BatchReader.read(spark, bq))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("not available yet");
  }
}
