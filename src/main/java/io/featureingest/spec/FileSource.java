package io.featureingest.spec;

import java.util.List;

/** Parquet or Delta files under a path or any Hadoop URI (file://, gs://, s3a://, hdfs://). */
public record FileSource(FileFormat format, String path, SourceColumns columns)
    implements BatchSource {
  public FileSource {
    if (format == null) {
      throw ConfigErrors.requiredOneOf("file source", "format", List.of("parquet", "delta"));
    }
    if (path == null || path.isBlank()) {
      throw ConfigErrors.required("file source", "path");
    }
  }

  @Override
  public String type() {
    return "file";
  }
}
