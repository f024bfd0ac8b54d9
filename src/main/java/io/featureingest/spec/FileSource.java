package io.featureingest.spec;

/** Parquet or Delta files under a path or any Hadoop URI (file://, gs://, s3a://, hdfs://). */
public record FileSource(FileFormat format, String path, SourceColumns columns)
    implements BatchSource {
  public FileSource {
    if (format == null) {
      throw new ConfigException("file source: format is required (parquet or delta)");
    }
    if (path == null || path.isBlank()) {
      throw new ConfigException("file source: path is required");
    }
  }

  @Override
  public String type() {
    return "file";
  }
}
