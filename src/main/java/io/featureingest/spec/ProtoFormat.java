package io.featureingest.spec;

import java.util.Optional;

/**
 * Protobuf messages: a descriptor set file ({@code protoc --descriptor_set_out}) plus the full
 * message name, or a compiled message class on the classpath.
 */
public record ProtoFormat(
    Optional<String> descriptorFile, Optional<String> messageName, Optional<String> className)
    implements MessageFormat {
  public ProtoFormat {
    descriptorFile = descriptorFile == null ? Optional.empty() : descriptorFile;
    messageName = messageName == null ? Optional.empty() : messageName;
    className = className == null ? Optional.empty() : className;
    if (className.isEmpty() && descriptorFile.isEmpty()) {
      throw SourceErrors.protoNeedsDescriptorOrClass();
    }
    if (descriptorFile.isPresent() && messageName.isEmpty()) {
      throw SourceErrors.protoNeedsMessageName(descriptorFile.get());
    }
  }

  @Override
  public String type() {
    return "proto";
  }
}
