package io.featureingest.job;

import io.featureingest.serve.FeatureServer;
import io.featureingest.spec.TreeWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the online store over HTTP without Spark, in Feast's feature-server JSON API:"
          + " POST /get-online-features, POST /push, GET /health, GET /metrics (Prometheus).",
      "Runs until stopped (Ctrl-C, SIGTERM); prints one JSON line once it listens."
    })
final class ServeJob extends JobCommand {
  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "Port to listen on (default: serve.port, 6566; 0 picks a free one).")
  Integer port;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      description =
          "Address to listen on (default: serve.host, 127.0.0.1; 0.0.0.0 for every interface).")
  String host;

  @Override
  String name() {
    return "serve";
  }

  @Override
  boolean printsSummary() {
    return false;
  }

  @Override
  void run(JobContext context) throws InterruptedException {
    try (FeatureServer server = FeatureServing.start(context.config(), host, port)) {
      Map<String, Object> ready = new LinkedHashMap<>();
      ready.put("serving", server.uri().toString());
      ready.put("online_store", server.store());
      System.out.println(TreeWriter.jsonLine(ready));
      System.out.flush();
      server.join();
    }
  }
}
