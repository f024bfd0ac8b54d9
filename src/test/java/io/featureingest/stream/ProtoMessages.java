package io.featureingest.stream;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Timestamp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The trips message as Protobuf, its descriptor set built in code (what {@code protoc
 * --descriptor_set_out} writes, without needing protoc): {@code example.Trip { Driver driver; Stats
 * stats; Status status; google.protobuf.Timestamp event_time; repeated string tags;
 * map<string,int64> counters; uint64 big; }}. The set leaves out timestamp.proto, as protoc does
 * without --include_imports.
 */
final class ProtoMessages {
  static final String MESSAGE = "example.Trip";

  private ProtoMessages() {}

  static FileDescriptorProto file() {
    return FileDescriptorProto.newBuilder()
        .setName("example/trip.proto")
        .setPackage("example")
        .setSyntax("proto3")
        .addDependency("google/protobuf/timestamp.proto")
        .addMessageType(
            DescriptorProto.newBuilder()
                .setName("Driver")
                .addField(field("id", 1, Type.TYPE_INT64)))
        .addMessageType(
            DescriptorProto.newBuilder()
                .setName("Stats")
                .addField(field("rating", 1, Type.TYPE_DOUBLE))
                .addField(field("trips", 2, Type.TYPE_INT32)))
        .addEnumType(
            EnumDescriptorProto.newBuilder()
                .setName("Status")
                .addValue(EnumValueDescriptorProto.newBuilder().setName("ACTIVE").setNumber(0))
                .addValue(EnumValueDescriptorProto.newBuilder().setName("IDLE").setNumber(1)))
        .addMessageType(
            DescriptorProto.newBuilder()
                .setName("Trip")
                .addField(message("driver", 1, ".example.Driver"))
                .addField(message("stats", 2, ".example.Stats"))
                .addField(field("status", 3, Type.TYPE_ENUM).setTypeName(".example.Status"))
                .addField(message("event_time", 4, ".google.protobuf.Timestamp"))
                .addField(field("tags", 5, Type.TYPE_STRING).setLabel(Label.LABEL_REPEATED))
                .addField(
                    message("counters", 6, ".example.Trip.CountersEntry")
                        .setLabel(Label.LABEL_REPEATED))
                .addField(field("big", 7, Type.TYPE_UINT64))
                .addNestedType(
                    DescriptorProto.newBuilder()
                        .setName("CountersEntry")
                        .setOptions(MessageOptions.newBuilder().setMapEntry(true))
                        .addField(field("key", 1, Type.TYPE_STRING))
                        .addField(field("value", 2, Type.TYPE_INT64))))
        .build();
  }

  private static FieldDescriptorProto.Builder field(String name, int number, Type type) {
    return FieldDescriptorProto.newBuilder()
        .setName(name)
        .setNumber(number)
        .setType(type)
        .setLabel(Label.LABEL_OPTIONAL)
        .setJsonName(name);
  }

  private static FieldDescriptorProto.Builder message(String name, int number, String type) {
    return field(name, number, Type.TYPE_MESSAGE).setTypeName(type);
  }

  /** Writes the descriptor set to {@code dir/trip.desc} and answers its path. */
  static String writeDescriptorSet(Path dir) {
    try {
      Path p = dir.resolve("trip.desc");
      Files.write(p, FileDescriptorSet.newBuilder().addFile(file()).build().toByteArray());
      return p.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Descriptor trip() {
    try {
      return FileDescriptor.buildFrom(
              file(), new FileDescriptor[] {com.google.protobuf.TimestampProto.getDescriptor()})
          .findMessageTypeByName("Trip");
    } catch (com.google.protobuf.Descriptors.DescriptorValidationException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] trip(long id, double rating, int trips, String status, Instant at) {
    Descriptor d = trip();
    Descriptor driver = d.findFieldByName("driver").getMessageType();
    Descriptor stats = d.findFieldByName("stats").getMessageType();
    Descriptor entry = d.findFieldByName("counters").getMessageType();
    return DynamicMessage.newBuilder(d)
        .setField(
            d.findFieldByName("driver"),
            DynamicMessage.newBuilder(driver).setField(driver.findFieldByName("id"), id).build())
        .setField(
            d.findFieldByName("stats"),
            DynamicMessage.newBuilder(stats)
                .setField(stats.findFieldByName("rating"), rating)
                .setField(stats.findFieldByName("trips"), trips)
                .build())
        .setField(
            d.findFieldByName("status"),
            d.findFieldByName("status").getEnumType().findValueByName(status))
        .setField(
            d.findFieldByName("event_time"),
            Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()).build())
        .addRepeatedField(d.findFieldByName("tags"), "a")
        .addRepeatedField(d.findFieldByName("tags"), "b")
        .addRepeatedField(
            d.findFieldByName("counters"),
            DynamicMessage.newBuilder(entry)
                .setField(entry.findFieldByName("key"), "k")
                .setField(entry.findFieldByName("value"), 5L)
                .build())
        .setField(d.findFieldByName("big"), -1L)
        .build()
        .toByteArray();
  }
}
