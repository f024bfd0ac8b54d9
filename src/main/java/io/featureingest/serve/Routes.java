package io.featureingest.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.featureingest.spec.FeatureIngestException;
import io.featureingest.spec.StoreUnavailableException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoints, on Jetty's core handler API (no servlets): {@code POST /get-online-features},
 * {@code POST /push}, {@code GET /health}, {@code GET /metrics}. Handlers block on the store call
 * in Jetty's worker thread. Failures answer JSON: 400 (or 404, 405, 413) for the request, naming
 * the bad field; 503 when the store cannot be reached (the next request tries again); 500 for a
 * bug, logged with its stack trace.
 */
final class Routes extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(Routes.class);
  private static final String JSON = "application/json";

  private final OnlineRead read;
  private final StorePool stores;
  private final ServerMetrics metrics;
  private final Catalog catalog;
  private final ObjectMapper mapper;
  private final int maxBodyBytes;
  private final int maxRows;
  private final Clock clock;
  private final AtomicLong unavailable = new AtomicLong();
  private final AtomicLong lastUnavailableLog = new AtomicLong(System.nanoTime() - 20_000_000_000L);

  Routes(
      Catalog catalog,
      StorePool stores,
      ServerMetrics metrics,
      int maxBodyBytes,
      int maxRows,
      Clock clock) {
    this.catalog = catalog;
    this.stores = stores;
    this.metrics = metrics;
    this.maxBodyBytes = maxBodyBytes;
    this.maxRows = maxRows;
    this.clock = clock;
    // Duplicate keys in a body are refused: with last-wins, {"features": a, "features": b} would
    // silently read b.
    // Schubfach for floats and doubles: shortest digits without the JDK's per-thread buffers.
    this.mapper =
        new ObjectMapper(
            JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
                .build());
    this.read = new OnlineRead(catalog, stores, metrics, mapper.getFactory(), maxRows, clock);
  }

  private record Reply(int status, String type, byte[] body) {
    static Reply json(int status, byte[] body) {
      return new Reply(status, JSON, body);
    }
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    long start = System.nanoTime();
    String path = Request.getPathInContext(request);
    String endpoint =
        switch (path) {
          case "/get-online-features", "/push", "/health", "/metrics" -> path;
          default -> "other";
        };
    Reply reply;
    try {
      reply = route(request, path);
    } catch (BadRequest e) {
      reply = Reply.json(e.status, error(e.code, e.field, e.getMessage()));
    } catch (StoreUnavailableException e) {
      long now = System.nanoTime();
      long last = lastUnavailableLog.get();
      long missed = unavailable.incrementAndGet();
      // Under load a down store fails thousands of requests a second: one line per 10 s.
      if (now - last > 10_000_000_000L && lastUnavailableLog.compareAndSet(last, now)) {
        unavailable.set(0);
        LOG.warn(
            "{} requests answered 503 since the last report; {}: {}", missed, path, e.getMessage());
      }
      reply = Reply.json(503, error("store_unavailable", null, e.getMessage()));
      response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
    } catch (FeatureIngestException e) {
      LOG.error("{} answered 500: {}", path, e.getMessage());
      reply = Reply.json(500, error("store_error", null, e.getMessage()));
    } catch (RuntimeException e) {
      LOG.error("{} failed", path, e);
      reply = Reply.json(500, error("internal", null, "unexpected failure: " + e));
    }
    response.setStatus(reply.status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.type);
    response.write(true, ByteBuffer.wrap(reply.body), callback);
    metrics.request(endpoint, reply.status, System.nanoTime() - start);
    return true;
  }

  private Reply route(Request request, String path) {
    String method = request.getMethod();
    return switch (path) {
      case "/get-online-features" -> {
        post(method, path);
        yield Reply.json(200, read.answer(body(request)));
      }
      case "/push" -> {
        post(method, path);
        yield Reply.json(200, push(body(request)));
      }
      case "/health" -> {
        get(method, path);
        yield Reply.json(200, "{\"status\": \"ok\"}".getBytes(StandardCharsets.UTF_8));
      }
      case "/metrics" -> {
        get(method, path);
        yield new Reply(
            200,
            "text/plain; version=0.0.4; charset=utf-8",
            metrics.text().getBytes(StandardCharsets.UTF_8));
      }
      default ->
          throw new BadRequest(
              404,
              "not_found",
              "path",
              path
                  + ": no such endpoint; this server"
                  + " answers POST /get-online-features, POST /push, GET /health, GET /metrics");
    };
  }

  private byte[] push(JsonNode body) {
    PushRequest push = PushRequest.parse(body, catalog, maxRows, Instant.now(clock));
    String table = push.table().name();
    long written =
        push.records().isEmpty()
            ? 0
            : stores.with(store -> store.write(catalog.online(table), push.records()));
    metrics.pushed(written, push.rows() - written);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    try (JsonGenerator out = mapper.getFactory().createGenerator(bytes)) {
      out.writeStartObject();
      out.writeStringField("push_source_name", body.get("push_source_name").textValue());
      out.writeStringField("table", table);
      out.writeNumberField("rows", push.rows());
      out.writeNumberField("rows_written", written);
      out.writeNumberField("rows_not_newer", push.rows() - written);
      out.writeEndObject();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void post(String method, String path) {
    if (!"POST".equals(method)) {
      throw new BadRequest(
          405, "method_not_allowed", "method", path + " takes POST, got " + method);
    }
  }

  private static void get(String method, String path) {
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      throw new BadRequest(405, "method_not_allowed", "method", path + " takes GET, got " + method);
    }
  }

  /** The body as JSON, refused past serve.max_body_bytes or when it does not parse. */
  private JsonNode body(Request request) {
    if (request.getLength() > maxBodyBytes) {
      throw tooLarge(request.getLength());
    }
    byte[] bytes;
    try {
      bytes = Content.Source.asByteArrayAsync(request, maxBodyBytes).get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IllegalArgumentException) { // past the limit, without a length
        throw tooLarge(-1);
      }
      throw new BadRequest("bad_json", "", "the body could not be read: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading the request body", e);
    }
    try {
      return mapper.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new BadRequest("bad_json", "", "the body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BadRequest("bad_json", "", "the body could not be read: " + e.getMessage());
    }
  }

  private BadRequest tooLarge(long length) {
    return new BadRequest(
        413,
        "body_too_large",
        "",
        "the body"
            + (length >= 0 ? " has " + length + " bytes," : " is")
            + " larger than this server's"
            + " serve.max_body_bytes = "
            + maxBodyBytes
            + "; split the request");
  }

  private byte[] error(String code, String field, String message) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128 + message.length());
    try (JsonGenerator out = mapper.getFactory().createGenerator(bytes)) {
      out.writeStartObject();
      out.writeStringField("error", code);
      if (field != null) {
        out.writeStringField("field", field);
      }
      out.writeStringField("message", message);
      out.writeEndObject();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
