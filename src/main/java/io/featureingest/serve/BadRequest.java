package io.featureingest.serve;

/**
 * A request the server refuses, answered as {@code {"error": code, "field": ..., "message": ...}}
 * with its HTTP status: the field is the JSON path of the bad part of the body ({@code
 * features[1]}, {@code entities.driver_id[0]}, {@code df.conv_rate[3]}) so that a client can tell
 * what to fix without parsing the message.
 */
final class BadRequest extends RuntimeException {
  final int status;
  final String code;
  final String field;

  BadRequest(String code, String field, String message) {
    this(400, code, field, message);
  }

  BadRequest(int status, String code, String field, String message) {
    super(message, null, false, false); // an answer to the client, not a failure: no stack trace
    this.status = status;
    this.code = code;
    this.field = field;
  }
}
