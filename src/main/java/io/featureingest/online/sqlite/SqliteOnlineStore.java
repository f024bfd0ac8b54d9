package io.featureingest.online.sqlite;

import io.featureingest.online.EncodedRows;
import io.featureingest.online.OnlineCodec;
import io.featureingest.online.OnlineRecord;
import io.featureingest.online.OnlineStore;
import io.featureingest.online.OnlineTable;
import io.featureingest.online.Retry;
import io.featureingest.spec.SqliteStoreConfig;
import java.io.File;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;

/**
 * The embedded default: one SQLite file, one table {@code feature_rows} keyed by (table, entity
 * key) holding {@link OnlineCodec}'s bytes. Rule 4 is a conditional upsert: the row is replaced
 * only when the incoming (event, created) version is greater. WAL mode lets readers run beside the
 * one writer; writes go in IMMEDIATE transactions of {@code batch_size} rows, so several Spark
 * tasks writing the same file queue on SQLite's lock ({@code busy_timeout}) instead of failing. For
 * one machine only: executors on other hosts would each write their own file.
 */
public final class SqliteOnlineStore implements OnlineStore {
  private static final String SCHEMA =
      """
      CREATE TABLE IF NOT EXISTS feature_rows (
        table_name TEXT NOT NULL,
        entity_key BLOB NOT NULL,
        event_us INTEGER NOT NULL,
        created_us INTEGER NOT NULL,
        value BLOB NOT NULL,
        PRIMARY KEY (table_name, entity_key)
      ) WITHOUT ROWID""";

  private static final String UPSERT =
      """
      INSERT INTO feature_rows (table_name, entity_key, event_us, created_us, value)
      VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (table_name, entity_key) DO UPDATE SET
        event_us = excluded.event_us, created_us = excluded.created_us, value = excluded.value
      WHERE excluded.event_us > feature_rows.event_us
         OR (excluded.event_us = feature_rows.event_us
             AND excluded.created_us > feature_rows.created_us)""";

  private static final String SELECT =
      "SELECT value FROM feature_rows WHERE table_name = ? AND entity_key = ?";

  private final SqliteStoreConfig config;
  private final Retry retry;
  private final Connection connection;
  private final Map<OnlineTable, OnlineCodec> codecs = new HashMap<>();

  public SqliteOnlineStore(SqliteStoreConfig config) {
    this.config = config;
    this.retry = new Retry(config.maxAttempts(), describe(), SqliteOnlineStore::isTransient);
    File file = new File(config.path()).getAbsoluteFile();
    if (file.getParentFile() != null) {
      file.getParentFile().mkdirs();
    }
    SQLiteConfig sqlite = new SQLiteConfig();
    sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
    sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    sqlite.setBusyTimeout(config.busyTimeoutMs());
    sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    sqlite.setCacheSize(-65536); // 64 MiB of pages: writes come in hash order, not key order
    this.connection =
        retry.call(
            "opening",
            () -> {
              try {
                Connection c = sqlite.createConnection("jdbc:sqlite:" + file.getPath());
                try (Statement s = c.createStatement()) {
                  s.executeUpdate(SCHEMA);
                }
                return c;
              } catch (SQLException e) {
                throw new SqliteFailure(e);
              }
            });
  }

  /** An opener for executors (the config record itself is not serializable). */
  public static OnlineStore.Opener opener(SqliteStoreConfig c) {
    String path = c.path();
    int batchSize = c.batchSize();
    int maxAttempts = c.maxAttempts();
    int busyTimeoutMs = c.busyTimeoutMs();
    return () ->
        new SqliteOnlineStore(new SqliteStoreConfig(path, batchSize, maxAttempts, busyTimeoutMs));
  }

  @Override
  public String describe() {
    return config.describe();
  }

  private OnlineCodec codec(OnlineTable table) {
    return codecs.computeIfAbsent(table, OnlineCodec::new);
  }

  @Override
  public long write(OnlineTable table, List<OnlineRecord> records) {
    return writeEncoded(table, EncodedRows.of(codec(table), records));
  }

  @Override
  public long writeEncoded(OnlineTable table, EncodedRows rows) {
    long landed = 0;
    for (int from = 0; from < rows.size(); from += config.batchSize()) {
      int start = from;
      int end = Math.min(rows.size(), from + config.batchSize());
      landed +=
          retry.call(
              "writing " + (end - start) + " rows of " + table.name(),
              () -> writeBatch(table, rows, start, end));
    }
    return landed;
  }

  private long writeBatch(OnlineTable table, EncodedRows rows, int from, int to) {
    // A transaction per batch only: the driver begins the next one at once after a commit, and an
    // open IMMEDIATE transaction holds the write lock, so a store kept open between calls (the
    // feature server's) would lock every other writer and opener out of the file.
    try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
      connection.setAutoCommit(false);
      for (int i = from; i < to; i++) {
        upsert.setString(1, table.name());
        upsert.setBytes(2, rows.key(i));
        upsert.setLong(3, rows.eventMicros(i));
        upsert.setLong(4, rows.createdMicros(i));
        upsert.setBytes(5, rows.value(i));
        upsert.addBatch();
      }
      long landed = 0;
      for (int n : upsert.executeBatch()) {
        landed += Math.max(0, n);
      }
      connection.commit();
      connection.setAutoCommit(true);
      return landed;
    } catch (SQLException e) {
      try {
        connection.rollback();
        connection.setAutoCommit(true);
      } catch (SQLException ignored) {
        // the transaction is gone with the failure; the retry starts a new one
      }
      throw new SqliteFailure(e);
    }
  }

  @Override
  public List<Optional<OnlineRecord>> read(OnlineTable table, List<List<Object>> keys) {
    OnlineCodec codec = codec(table);
    return retry.call(
        "reading " + keys.size() + " keys of " + table.name(),
        () -> {
          List<Optional<OnlineRecord>> out = new ArrayList<>(keys.size());
          try (PreparedStatement select = connection.prepareStatement(SELECT)) {
            for (List<Object> key : keys) {
              select.setString(1, table.name());
              select.setBytes(2, codec.key(key));
              try (ResultSet rs = select.executeQuery()) {
                if (rs.next()) {
                  byte[] v = rs.getBytes(1);
                  out.add(
                      Optional.of(new OnlineRecord(key, OnlineCodec.version(v), codec.decode(v))));
                } else {
                  out.add(Optional.empty());
                }
              }
            }
          } catch (SQLException e) {
            throw new SqliteFailure(e);
          }
          return out;
        });
  }

  private static boolean isTransient(RuntimeException e) {
    if (!(e instanceof SqliteFailure f)) {
      return false;
    }
    int code = f.sql.getErrorCode() & 0xFF; // primary result code
    return code == SQLiteErrorCode.SQLITE_BUSY.code
        || code == SQLiteErrorCode.SQLITE_LOCKED.code
        || code == SQLiteErrorCode.SQLITE_CANTOPEN.code
        || code == SQLiteErrorCode.SQLITE_IOERR.code;
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new SqliteFailure(e);
    }
  }

  /** A SQLException carried through the retry loop. */
  static final class SqliteFailure extends RuntimeException {
    final SQLException sql;

    SqliteFailure(SQLException sql) {
      super(sql.getMessage(), sql);
      this.sql = sql;
    }
  }
}
