package io.featureingest.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.featureingest.job.FeatureServing;
import io.featureingest.spec.ConfigLoader;
import io.featureingest.spec.ValueType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A feature repository in a temporary folder (a config file) served by a real feature server on a
 * free loopback port, and a real HTTP client for it ({@link HttpClient}).
 *
 * <p>Tables: {@code all_types} (an INT64 entity {@code id}, one feature of every value type named
 * {@code f_<type>}), {@code driver_trips} (INT64 {@code driver_id}, max_age 2d), {@code pairs} (a
 * STRING and an INT32 entity). Feature list {@code activity}; push source {@code
 * driver_stats_push_source} -> driver_trips.
 */
final class ServedRepo implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  final Path config;
  final FeatureServer server;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  record Answer(int status, JsonNode body) {}

  ServedRepo(Path dir, String onlineStore) {
    this.config = dir.resolve("repo.conf");
    try {
      Files.writeString(config, config(dir, onlineStore));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.server = FeatureServing.start(ConfigLoader.load(config.toFile(), List.of()), null, 0);
  }

  static String allTypesFeatures() {
    return java.util.Arrays.stream(ValueType.values())
        .map(t -> "{ name = " + feature(t) + ", type = " + t + " }")
        .collect(Collectors.joining(", "));
  }

  static String feature(ValueType t) {
    return "f_" + t.name().toLowerCase(Locale.ROOT);
  }

  private static String config(Path dir, String onlineStore) {
    String source =
        "batch_source { type = file, format = parquet, path = \"%s/offline/%s\","
            + " event_timestamp_column = event_ts, created_timestamp_column = created_ts }";
    return String.join(
        "\n",
        "project = serve_test",
        "registry { path = \"" + dir.resolve("registry") + "\" }",
        "online_store " + onlineStore,
        "feature_tables {",
        "  all_types {",
        "    entities = [ { name = id, type = INT64 } ]",
        "    features = [ " + allTypesFeatures() + " ]",
        "    " + source.formatted(dir, "all_types"),
        "  }",
        "  driver_trips {",
        "    entities = [ { name = driver_id, type = INT64 } ]",
        "    features = [ { name = driver_rating, type = FLOAT }, { name = trips, type = INT64 } ]",
        "    max_age = 2d",
        "    " + source.formatted(dir, "driver_trips"),
        "  }",
        "  pairs {",
        "    entities = [ { name = user_id, type = STRING }, { name = item_id, type = INT32 } ]",
        "    features = [ { name = score, type = DOUBLE } ]",
        "    " + source.formatted(dir, "pairs"),
        "  }",
        "}",
        "feature_lists { activity = [\"driver_trips:driver_rating\", \"driver_trips:trips\"] }",
        "push_sources { driver_stats_push_source = driver_trips }",
        "");
  }

  Answer post(String path, String body) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  Answer get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET().build());
  }

  String text(String path) {
    try {
      return http.send(
              HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private URI uri(String path) {
    return server.uri().resolve(path);
  }

  private Answer send(HttpRequest request) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), JSON.readTree(r.body()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The answer's column {@code name}: values, statuses and event timestamps. */
  static JsonNode column(JsonNode answer, String name) {
    JsonNode names = answer.get("metadata").get("feature_names");
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).asText().equals(name)) {
        return answer.get("results").get(i);
      }
    }
    throw new AssertionError("no column " + name + " in " + answer);
  }

  @Override
  public void close() {
    server.close();
  }
}
