package io.featureingest.online.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featureingest.online.OnlineStore;
import io.featureingest.online.OnlineStoreContract;
import io.featureingest.online.OnlineTable;
import io.featureingest.spec.ConfigException;
import io.featureingest.spec.RedisStoreConfig;
import io.featureingest.spec.StoreUnavailableException;
import io.featureingest.testing.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole store contract again, over TLS to a redis-server that speaks nothing else. */
class RedisTlsTest extends OnlineStoreContract {
  static RedisServer redis;

  @BeforeAll
  static void start() {
    redis = RedisServer.startTls();
  }

  @AfterAll
  static void stop() {
    redis.close();
  }

  @Override
  protected OnlineStore.Opener opener() {
    return RedisOnlineStore.opener(redis.config(100, 3));
  }

  private static RedisStoreConfig with(
      String host, boolean tls, Optional<String> ca, boolean verifyHost) {
    RedisStoreConfig c = redis.config(100, 2);
    return new RedisStoreConfig(
        host,
        c.port(),
        c.nodes(),
        c.cluster(),
        c.user(),
        c.password(),
        tls,
        ca,
        verifyHost,
        c.database(),
        500,
        c.batchSize(),
        c.maxAttempts(),
        c.keyPrefix());
  }

  private static long writeOne(RedisStoreConfig config) {
    OnlineTable t = driverTable(tableName("tls"), 0); // a fresh table: the write lands
    try (OnlineStore store = RedisOnlineStore.opener(config).open()) {
      return store.write(t, List.of(rec(1, v(1, 1L), 1f, 1, "a")));
    }
  }

  @Test
  void aCertificateFromAnotherCaIsASettingsErrorNotRetried(@TempDir Path dir) {
    Path other = dir.resolve("other.pem");
    RedisServer.selfSignedCertificate(other, dir.resolve("k.pem"));
    assertThatThrownBy(() -> writeOne(with("127.0.0.1", true, Optional.of(other.toString()), true)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("127.0.0.1:" + redis.port())
        .hasMessageContaining("TLS handshake failed")
        .hasMessageContaining("tls_ca_file");
  }

  @Test
  void theCertificateMustNameTheHostUnlessVerificationIsOff() {
    // "localhost" is not in the certificate (it names IP 127.0.0.1 only)
    Optional<String> ca = Optional.of(redis.tlsCaFile());
    assertThatThrownBy(() -> writeOne(with("localhost", true, ca, true)))
        .isInstanceOf(ConfigException.class);
    assertThat(writeOne(with("localhost", true, ca, false))).isEqualTo(1);
  }

  @Test
  void aPlainClientCannotTalkToIt() {
    assertThatThrownBy(() -> writeOne(with("127.0.0.1", false, Optional.empty(), true)))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("127.0.0.1:" + redis.port());
  }

  @Test
  void aCaFileWithoutTlsIsRefused(@TempDir Path dir) throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
    assertThatThrownBy(() -> with("127.0.0.1", false, Optional.of(ca.toString()), true))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tls_ca_file")
        .hasMessageContaining("tls = true");
  }
}
