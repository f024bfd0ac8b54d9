package io.featureingest.spec;

import static io.featureingest.spec.ConfigErrors.error;

import java.util.Collection;
import java.util.Optional;

/**
 * The usage and config errors (exit 2) of sources: batch sources that cannot take a write or a read
 * as asked, and stream message formats (Avro, Protobuf) that cannot be used. Worded as {@link
 * ConfigErrors} words the rest; see docs/errors.md.
 */
public final class SourceErrors {
  private SourceErrors() {}

  // ---- Batch sources (the offline store) ----

  /** {@code --dedup} on a file format without MERGE (parquet). */
  public static ConfigException dedupNeedsDelta(String table, String format) {
    return error(
        "table %s: --dedup merges into a delta batch source; this one is %s. Drop --dedup, or use"
            + " format = delta",
        table, format);
  }

  /** {@code --dedup} on a batch source that is not files (bigquery). */
  public static ConfigException dedupNeedsFileSource(String table, String type) {
    return error(
        "table %s: ingest writes file batch sources (parquet or delta); its batch source is %s",
        table, type);
  }

  /** {@code log_to_batch_source} on a batch source that is not files (bigquery). */
  public static ConfigException logNeedsFileSource(String table) {
    return error(
        "table %s: log_to_batch_source needs a file batch source (parquet or delta)", table);
  }

  /** A write (ingest) into a BigQuery source that is a query, not a table. */
  public static ConfigException queryNotWritable() {
    return error("cannot ingest into a bigquery source defined by a query; give table_ref instead");
  }

  /** A BigQuery query source: the connector materializes the result into a temporary table. */
  public static ConfigException queryNeedsMaterializationDataset() {
    return error(
        "bigquery source with a query needs materialization_dataset: a dataset where the"
            + " connector may create temporary tables");
  }

  /** {@code bigquery.write_method = indirect} without {@code bigquery.temporary_gcs_bucket}. */
  public static ConfigException indirectWriteNeedsBucket() {
    return error(
        "indirect BigQuery writes need a temporary GCS bucket: set"
            + " bigquery.temporary_gcs_bucket");
  }

  /** Spark has no {@code bigquery} data source: the spark-bigquery connector is missing. */
  public static ConfigException bigQueryConnectorMissing() {
    return error(
        "the BigQuery connector is not on the classpath: Dataproc ships it; elsewhere (EMR,"
            + " local) add com.google.cloud.spark:spark-bigquery-with-dependencies_2.12:0.42.1"
            + " with spark-submit --jars or --packages");
  }

  // ---- Message formats (Avro, Protobuf) ----

  public static ConfigException badAvroSchema(Optional<String> schemaFile, RuntimeException e) {
    return error(
        "avro format: the schema %sis not valid Avro: %s",
        schemaFile.map(f -> "in " + f + " ").orElse(""), e.getMessage());
  }

  public static ConfigException avroNotRecord(Object type) {
    return error("avro format: the schema must be a record, got %s", type);
  }

  public static ConfigException protoNeedsDescriptorOrClass() {
    return error(
        "proto format: give descriptor_file with message_name, or class_name of a compiled"
            + " message");
  }

  public static ConfigException protoNeedsMessageName(String descriptorFile) {
    return error(
        "proto format: descriptor_file '%s' needs message_name, the full name of the message,"
            + " e.g. example.DriverTrip",
        descriptorFile);
  }

  public static ConfigException notDescriptorSet(Exception e) {
    return error(
        "proto format: the descriptor file is not a FileDescriptorSet (make it with protoc"
            + " --include_imports --descriptor_set_out=FILE): %s",
        e.getMessage());
  }

  public static ConfigException messageNotInSet(String messageName, Collection<String> files) {
    return error(
        "proto format: message_name '%s' is not in the descriptor set; give the full name with"
            + " its package, e.g. example.DriverTrip (files in the set: %s)",
        messageName, files);
  }

  public static ConfigException missingImport(String file) {
    return error(
        "proto format: the descriptor set lacks '%s', an import; make the set with protoc"
            + " --include_imports",
        file);
  }

  public static ConfigException invalidDescriptor(String file, Exception e) {
    return error("proto format: '%s' in the descriptor set is invalid: %s", file, e.getMessage());
  }

  /** A class_name that is missing ({@link ClassNotFoundException}) or not a protobuf message. */
  public static ConfigException badProtoClass(String className, Exception e) {
    if (e instanceof ClassNotFoundException) {
      return error(
          "proto format: class_name '%s' is not on the classpath; add its jar with spark-submit"
              + " --jars",
          className);
    }
    return error(
        "proto format: class_name '%s' is not a compiled protobuf message (no static"
            + " getDescriptor()): %s",
        className, e);
  }

  public static ConfigException protoTooDeep(String message, int maxDepth) {
    return error(
        "proto format: message %s nests deeper than %s levels (a recursive message?); it cannot"
            + " become a table row",
        message, maxDepth);
  }
}
