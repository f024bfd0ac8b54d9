package io.featureingest.serve;

import io.featureingest.online.OnlineStore;
import io.featureingest.spec.ConfigException;
import io.featureingest.spec.ServeConfig;
import io.featureingest.spec.StoreUnavailableException;
import java.net.URI;
import java.time.Clock;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Spark-free feature server: Feast's feature-server JSON API over any {@link OnlineStore}, on
 * Jetty. It reads with max_age applied (rule 6) and pushes through the store's compare-and-set
 * (rule 4). See docs/serving.md.
 *
 * <pre>{@code
 * try (FeatureServer server = FeatureServer.start(catalog, opener, ServeConfig.parse(config))) {
 *   server.join(); // until stopped (Ctrl-C, SIGTERM)
 * }
 * }</pre>
 */
public final class FeatureServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FeatureServer.class);

  private final Server jetty;
  private final ServerConnector connector;
  private final StorePool stores;
  private final String storeName;

  private FeatureServer(Server jetty, ServerConnector connector, StorePool stores, String store) {
    this.jetty = jetty;
    this.connector = connector;
    this.stores = stores;
    this.storeName = store;
  }

  /** Opens the store once (a store that is down is logged, not fatal) and starts listening. */
  public static FeatureServer start(
      Catalog catalog, OnlineStore.Opener opener, ServeConfig config) {
    StorePool stores = new StorePool(opener, config.threads());
    String store;
    try {
      store = stores.describe();
    } catch (StoreUnavailableException e) {
      // A server may well start before its Redis does: serve 503 until the store answers.
      LOG.warn(
          "online store unreachable at start, answering 503 until it is back: {}", e.getMessage());
      store = "(unreachable)";
    }
    // Workers plus Jetty's own acceptor and selector threads, and a few reserved by its executor.
    QueuedThreadPool threads =
        new QueuedThreadPool(config.threads() + 6, Math.min(4, config.threads()));
    threads.setName("serve");
    Server jetty = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(config.host());
    connector.setPort(config.port());
    jetty.addConnector(connector);
    jetty.setHandler(
        new Routes(
            catalog,
            stores,
            new ServerMetrics(),
            config.maxBodyBytes(),
            config.maxEntityRows(),
            Clock.systemUTC()));
    jetty.setStopTimeout(5_000);
    jetty.setStopAtShutdown(true); // SIGTERM: finish the requests in flight, then stop
    try {
      jetty.start();
    } catch (Exception e) {
      stores.close();
      throw new ConfigException(
          "the feature server cannot listen on "
              + config.host()
              + ":"
              + config.port()
              + " ("
              + e.getMessage()
              + "); choose a free port with --port or serve.port");
    }
    FeatureServer server = new FeatureServer(jetty, connector, stores, store);
    LOG.info("serving {} tables from {} on {}", catalog.tables().size(), store, server.uri());
    return server;
  }

  /** The port listened on (the one chosen when the config asked for port 0). */
  public int port() {
    return connector.getLocalPort();
  }

  public URI uri() {
    String host = connector.getHost();
    return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port());
  }

  /** Where the store is, as it describes itself ("sqlite data/online.db"). */
  public String store() {
    return storeName;
  }

  /** Blocks until the server stops. */
  public void join() throws InterruptedException {
    jetty.join();
  }

  @Override
  public void close() {
    try {
      jetty.stop();
    } catch (Exception e) {
      LOG.warn("stopping the feature server: {}", e.toString());
    } finally {
      stores.close();
    }
  }
}
