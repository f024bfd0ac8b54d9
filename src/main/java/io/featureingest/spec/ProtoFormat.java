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
      throw new ConfigException(
          "proto format: give descriptor_file with message_name, or class_name of a compiled message");
    }
    if (descriptorFile.isPresent() && messageName.isEmpty()) {
      throw new ConfigException(
          "proto format: descriptor_file '"
              + descriptorFile.get()
              + "' needs message_name, the full name of the message, e.g. example.DriverTrip");
    }
  }

  @Override
  public String type() {
    return "proto";
  }
}
