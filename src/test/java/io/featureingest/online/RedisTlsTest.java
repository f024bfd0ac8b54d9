package io.featureingest.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
  OnlineStore.Opener opener() {
    return RedisOnlineStore.opener(redis.config(100, 3));
  }

  private static RedisStoreConfig with(boolean tls, Optional<String> ca, boolean verifyHost) {
    RedisStoreConfig c = redis.config(100, 2);
    return new RedisStoreConfig(
        c.host(),
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
    OnlineTable t = driverTable(tableName("tls"), 0);
    try (OnlineStore store = RedisOnlineStore.opener(config).open()) {
      return store.write(t, List.of(rec(1, v(1, 1L), 1f, 1, "a")));
    }
  }

  @Test
  void aCertificateFromAnotherCaIsASettingsErrorNotRetried(@TempDir Path dir) throws Exception {
    Path other = dir.resolve("other.pem");
    Process p =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-keyout",
                dir.resolve("k.pem").toString(),
                "-out",
                other.toString(),
                "-subj",
                "/CN=127.0.0.1")
            .redirectErrorStream(true)
            .start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor()).isZero();
    assertThatThrownBy(() -> writeOne(with(true, Optional.of(other.toString()), true)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("127.0.0.1:" + redis.port())
        .hasMessageContaining("TLS handshake failed")
        .hasMessageContaining("tls_ca_file");
  }

  @Test
  void theCertificateMustNameTheHostUnlessVerificationIsOff(@TempDir Path dir) throws Exception {
    // "localhost" is not in the certificate (it names IP 127.0.0.1 only)
    RedisStoreConfig c = with(true, Optional.of(redis.tlsCaFile()), true);
    RedisStoreConfig byName =
        new RedisStoreConfig(
            "localhost",
            c.port(),
            c.nodes(),
            false,
            c.user(),
            c.password(),
            true,
            c.tlsCaFile(),
            true,
            0,
            500,
            c.batchSize(),
            c.maxAttempts(),
            "");
    assertThatThrownBy(() -> writeOne(byName)).isInstanceOf(ConfigException.class);
    RedisStoreConfig unchecked =
        new RedisStoreConfig(
            "localhost",
            c.port(),
            c.nodes(),
            false,
            c.user(),
            c.password(),
            true,
            c.tlsCaFile(),
            false,
            0,
            500,
            c.batchSize(),
            c.maxAttempts(),
            "");
    assertThat(writeOne(unchecked)).isIn(0L, 1L);
  }

  @Test
  void aPlainClientCannotTalkToIt() {
    assertThatThrownBy(() -> writeOne(with(false, Optional.empty(), true)))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("127.0.0.1:" + redis.port());
  }

  @Test
  void aCaFileWithoutTlsIsRefused(@TempDir Path dir) throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
    assertThatThrownBy(() -> with(false, Optional.of(ca.toString()), true))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tls_ca_file")
        .hasMessageContaining("tls = true");
  }
}
