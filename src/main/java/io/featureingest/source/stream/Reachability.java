package io.featureingest.source.stream;

import io.featureingest.spec.ConfigErrors;
import io.featureingest.spec.KafkaSource;
import io.featureingest.spec.KinesisSource;
import io.featureingest.spec.StoreErrors;
import io.featureingest.spec.StoreUnavailableException;
import io.featureingest.spec.StreamSource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Asks a stream source whether it answers before a query starts: with an unreachable broker Spark's
 * Kafka source retries for minutes, a stack trace per retry, and then fails with an error that
 * names neither the servers nor the topic; the Kinesis connector fails at once, but as a bug (exit
 * 1). Here the same is one {@link StoreUnavailableException} (exit 4) naming the source.
 *
 * <p>Kafka: an admin client with the source's own connection settings (security protocol, SASL,
 * TLS) describes the topic within {@code default.api.timeout.ms} of the source's options (the
 * setting Spark's own admin calls honour), {@value #DEFAULT_TIMEOUT_MS} ms when not set. Only a
 * broker that does not answer fails here; any answer, a missing topic or a refused ACL included,
 * lets the query start and report it as before. Kinesis: a TCP connection to the endpoint within
 * {@value #DEFAULT_TIMEOUT_MS} ms, skipped when the JVM names an HTTP proxy (the connector's AWS
 * SDK goes through it).
 */
public final class Reachability {
  static final int DEFAULT_TIMEOUT_MS = 15_000;
  static final String TIMEOUT_KEY = "default.api.timeout.ms";

  private Reachability() {}

  /** Throws {@link StoreUnavailableException} when the table's stream source does not answer. */
  public static void check(String table, StreamSource source) {
    if (source instanceof KafkaSource k) {
      kafka(table, k);
    } else if (source instanceof KinesisSource k) {
      kinesis(table, k);
    }
  }

  static void kafka(String table, KafkaSource source) {
    Map<String, Object> conf = new HashMap<>();
    Set<String> known = AdminClientConfig.configNames();
    KafkaOptions.of(source)
        .forEach(
            (k, v) -> {
              // consumer-only keys would each get a "supplied but not used" warning
              if (k.startsWith("kafka.") && known.contains(k.substring(6))) {
                conf.put(k.substring(6), v);
              }
            });
    int timeout = timeoutMs(table, conf.get(TIMEOUT_KEY));
    conf.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
    conf.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
    // One connection attempt per server within the timeout: each failed one logs a warning.
    conf.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, 2L * timeout);
    conf.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2L * timeout);
    conf.put(AdminClientConfig.CLIENT_ID_CONFIG, "feature-ingest-probe-" + table);
    String where =
        "bootstrap servers " + source.bootstrapServers() + " (topic " + source.topic() + ")";
    Admin admin;
    try {
      admin = Admin.create(conf);
    } catch (KafkaException e) {
      throw StoreErrors.kafkaUnreachable(
          table, source.bootstrapServers(), source.topic(), messageOf(e));
    }
    try {
      admin
          .describeTopics(List.of(source.topic()), new DescribeTopicsOptions().timeoutMs(timeout))
          .allTopicNames()
          .get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TimeoutException) {
        throw StoreErrors.kafkaUnreachable(
            table,
            source.bootstrapServers(),
            source.topic(),
            "no answer within " + timeout + " ms (stream_source.options." + TIMEOUT_KEY + ")");
      }
      // An answer (unknown topic, authorization): the query's own error says more than we can.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while probing " + where, e);
    } finally {
      admin.close(Duration.ofSeconds(1));
    }
  }

  static void kinesis(String table, KinesisSource source) {
    String endpoint = KinesisOptions.of(source).get("endpointUrl");
    if (endpoint == null || proxied()) {
      return;
    }
    URI uri = URI.create(endpoint);
    String host = uri.getHost() != null ? uri.getHost() : endpoint;
    int port = uri.getPort() >= 0 ? uri.getPort() : "http".equals(uri.getScheme()) ? 80 : 443;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), DEFAULT_TIMEOUT_MS);
    } catch (IOException e) {
      throw StoreErrors.kinesisUnreachable(
          table, source.streamName(), endpoint, source.region(), messageOf(e));
    }
  }

  /** The JVM's proxy settings, which the connector's AWS SDK (v1) follows. */
  private static boolean proxied() {
    return System.getProperty("https.proxyHost") != null
        || System.getProperty("http.proxyHost") != null;
  }

  private static int timeoutMs(String table, Object value) {
    if (value == null) {
      return DEFAULT_TIMEOUT_MS;
    }
    try {
      int ms = Integer.parseInt(value.toString().strip());
      if (ms > 0) {
        return ms;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ConfigErrors.expected(
        "feature_tables." + table + ".stream_source.options." + TIMEOUT_KEY,
        "a positive number of milliseconds",
        value);
  }

  /** The innermost message: "Failed to create new KafkaAdminClient" says less than its cause. */
  private static String messageOf(Throwable e) {
    while (e.getCause() != null && e.getCause() != e) {
      e = e.getCause();
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
