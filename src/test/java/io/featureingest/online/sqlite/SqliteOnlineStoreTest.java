package io.featureingest.online.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featureingest.online.OnlineStore;
import io.featureingest.online.OnlineStoreContract;
import io.featureingest.spec.SqliteStoreConfig;
import io.featureingest.spec.StoreUnavailableException;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteOnlineStoreTest extends OnlineStoreContract {
  @TempDir static Path dir;

  @Override
  protected OnlineStore.Opener opener() {
    return SqliteOnlineStore.opener(
        new SqliteStoreConfig(dir.resolve("online.db").toString(), 100, 3, 30_000));
  }

  @Test
  void usesWalMode() throws Exception {
    try (OnlineStore store = opener().open()) {
      store.write(driverTable(tableName("wal"), 0), List.of(rec(1, v(1, 1L), 1f, 1, "a")));
    }
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("online.db"));
        var rs = c.createStatement().executeQuery("PRAGMA journal_mode")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("wal");
    }
  }

  @Test
  void anUnopenableFileIsReportedWithItsPath(@TempDir Path other) throws Exception {
    File blocker = other.resolve("not-a-dir").toFile();
    assertThat(blocker.createNewFile()).isTrue();
    String path = new File(blocker, "online.db").getPath();
    assertThatThrownBy(
            () -> SqliteOnlineStore.opener(new SqliteStoreConfig(path, 10, 2, 100)).open())
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("sqlite " + path);
  }

  /** A store kept open between calls (the feature server's) holds no lock on the file. */
  @Test
  void anOpenStoreDoesNotLockOtherWritersOut() {
    String path = dir.resolve("online.db").toString();
    try (OnlineStore server = opener().open()) {
      var table = driverTable(tableName("shared"), 0);
      server.write(table, List.of(rec(1, v(1, 1L), 1f, 1, "a")));
      assertThat(server.read(table, List.of(List.of(1L)))).hasSize(1);
      long start = System.nanoTime();
      try (OnlineStore job =
          SqliteOnlineStore.opener(new SqliteStoreConfig(path, 100, 1, 500)).open()) {
        assertThat(job.write(table, List.of(rec(2, v(1, 1L), 2f, 2, "b")))).isEqualTo(1);
      }
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(500);
      assertThat(server.read(table, List.of(List.of(2L))).get(0)).isPresent();
    }
  }
}
