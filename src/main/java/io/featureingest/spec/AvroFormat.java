package io.featureingest.spec;

import java.util.Optional;

/**
 * Avro records, schema inline ({@code schema_json}) or in a file ({@code schema_file}); {@code
 * confluent_wire_format} strips the 5-byte schema-registry header before decoding.
 */
public record AvroFormat(
    Optional<String> schemaJson, Optional<String> schemaFile, boolean confluentWireFormat)
    implements MessageFormat {
  public AvroFormat {
    schemaJson = schemaJson == null ? Optional.empty() : schemaJson;
    schemaFile = schemaFile == null ? Optional.empty() : schemaFile;
    if (schemaJson.isPresent() == schemaFile.isPresent()) {
      throw ConfigErrors.exactlyOneOf(
          "avro format", "schema_json (the schema inline)", "schema_file (a path)");
    }
  }

  @Override
  public String type() {
    return "avro";
  }
}
