package io.featureingest.spec;

/** How a stream message's bytes encode a row. */
public sealed interface MessageFormat permits AvroFormat, ProtoFormat {
  String type();
}
