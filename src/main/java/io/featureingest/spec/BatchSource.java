package io.featureingest.spec;

/** Where a table's historical rows live: its offline store. */
public sealed interface BatchSource permits FileSource, BigQuerySource {
  SourceColumns columns();

  /** Short kind name, as written in the spec's {@code type} key. */
  String type();
}
