package io.featureingest.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featureingest.offline.OfflineStore.WriteMode;
import io.featureingest.spec.BatchSource;
import io.featureingest.spec.ConfigException;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.FileFormat;
import io.featureingest.spec.FileSource;
import io.featureingest.spec.SourceColumns;
import java.nio.file.Files;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ParquetStoreTest extends OfflineStoreContract {
  @Override
  BatchSource source(String name, SourceColumns columns) {
    return new FileSource(FileFormat.PARQUET, dir.resolve(name).toString(), columns);
  }

  @Override
  OfflineStore open(FeatureTable table) {
    return new ParquetStore(table);
  }

  @Test
  void dedupIsRefusedBeforeAnyWorkWithTheFix() {
    OfflineStore store = open(newTable("trips"));
    store.checkSpec(WriteMode.APPEND);
    assertThat(store.stages(WriteMode.APPEND)).isTrue();
    assertThatThrownBy(() -> store.checkSpec(WriteMode.DEDUP))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "table trips: --dedup merges into a delta batch source; this one is parquet."
                + " Drop --dedup, or use format = delta");
  }

  @Test
  void aFolderHoldingOnlyAQuarantineIsNoTableYet() throws Exception {
    FeatureTable t = newTable("trips");
    Files.createDirectories(dir.resolve("trips/_quarantine/run=1"));
    assertThat(open(t).exists(spark())).isFalse();
  }

  @Test
  void theLogAndTheStagingLeaveOnlyDataFilesAndMarkersBehind() throws Exception {
    OfflineStore store = open(newTable("trips"));
    store.appendLogged(frame(1, "2019-01-01T01:00:00Z"), "s", 7);
    commit(store, frame(2, "2019-01-02T01:00:00Z"), "run-1");
    try (Stream<java.nio.file.Path> files = Files.walk(dir.resolve("trips"))) {
      assertThat(files.filter(Files::isRegularFile).map(p -> dir.resolve("trips").relativize(p)))
          .extracting(java.nio.file.Path::toString)
          .filteredOn(p -> !p.endsWith(".crc"))
          .anyMatch(p -> p.matches("date=2019-01-01/part-stream-s-000007-00000\\.parquet"))
          .anyMatch(p -> p.equals("_stream_log/s/7.done"))
          .noneMatch(p -> p.startsWith("_staging") || p.contains("/staging/"));
    }
  }
}
