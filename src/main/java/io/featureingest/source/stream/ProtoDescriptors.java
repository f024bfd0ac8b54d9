package io.featureingest.source.stream;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.featureingest.spec.ProtoFormat;
import io.featureingest.spec.SourceErrors;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * The message descriptor of a {@link ProtoFormat}, carried to executors as a {@code
 * FileDescriptorSet} (bytes) plus the message's full name. A compiled class is read by reflection
 * and turned into the same set, so that our (relocated) protobuf runtime and the class's own one
 * never have to share types. Imports missing from a set ({@code protoc} without {@code
 * --include_imports}) resolve to protobuf's well-known types (Timestamp, Duration, wrappers...).
 */
public final class ProtoDescriptors {
  /** A descriptor set and the full name of the message in it. */
  public record MessageRef(byte[] descriptorSet, String messageName)
      implements java.io.Serializable {}

  private static final List<FileDescriptor> WELL_KNOWN =
      List.of(
          com.google.protobuf.TimestampProto.getDescriptor(),
          com.google.protobuf.DurationProto.getDescriptor(),
          com.google.protobuf.WrappersProto.getDescriptor(),
          com.google.protobuf.StructProto.getDescriptor(),
          com.google.protobuf.EmptyProto.getDescriptor(),
          com.google.protobuf.AnyProto.getDescriptor(),
          com.google.protobuf.FieldMaskProto.getDescriptor());

  private ProtoDescriptors() {}

  public static MessageRef resolve(ProtoFormat format, Configuration hadoop) {
    MessageRef ref =
        format.className().isPresent() && format.descriptorFile().isEmpty()
            ? fromClass(format.className().get())
            : new MessageRef(
                HadoopText.bytes(format.descriptorFile().get(), hadoop, "proto descriptor_file"),
                format.messageName().get());
    descriptor(ref); // fail fast on the driver, with a message naming the file and message
    return ref;
  }

  /** The message's descriptor, building the set's files in dependency order. */
  public static Descriptor descriptor(MessageRef ref) {
    FileDescriptorSet set;
    try {
      set = FileDescriptorSet.parseFrom(ref.descriptorSet());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw SourceErrors.notDescriptorSet(e);
    }
    Map<String, FileDescriptorProto> protos = new LinkedHashMap<>();
    set.getFileList().forEach(f -> protos.put(f.getName(), f));
    Map<String, FileDescriptor> built = new HashMap<>();
    WELL_KNOWN.forEach(f -> built.put(f.getName(), f));
    for (FileDescriptorProto p : protos.values()) {
      build(p.getName(), protos, built);
    }
    for (String name : protos.keySet()) {
      Descriptor d = find(built.get(name), ref.messageName());
      if (d != null) {
        return d;
      }
    }
    throw SourceErrors.messageNotInSet(ref.messageName(), protos.keySet());
  }

  private static Descriptor find(FileDescriptor file, String fullName) {
    for (Descriptor d : file.getMessageTypes()) {
      Descriptor found = findIn(d, fullName);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  private static Descriptor findIn(Descriptor d, String fullName) {
    if (d.getFullName().equals(fullName)) {
      return d;
    }
    for (Descriptor nested : d.getNestedTypes()) {
      Descriptor found = findIn(nested, fullName);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  private static FileDescriptor build(
      String name, Map<String, FileDescriptorProto> protos, Map<String, FileDescriptor> built) {
    FileDescriptor done = built.get(name);
    if (done != null) {
      return done;
    }
    FileDescriptorProto proto = protos.get(name);
    if (proto == null) {
      throw SourceErrors.missingImport(name);
    }
    List<FileDescriptor> deps = new ArrayList<>();
    for (String dep : proto.getDependencyList()) {
      deps.add(build(dep, protos, built));
    }
    try {
      FileDescriptor file = FileDescriptor.buildFrom(proto, deps.toArray(FileDescriptor[]::new));
      built.put(name, file);
      return file;
    } catch (DescriptorValidationException e) {
      throw SourceErrors.invalidDescriptor(name, e);
    }
  }

  /**
   * The set of a compiled message class: calls its static {@code getDescriptor()} and walks the
   * file and its imports by reflection.
   */
  static MessageRef fromClass(String className) {
    try {
      Class<?> cls = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
      Object descriptor = cls.getMethod("getDescriptor").invoke(null);
      String fullName = (String) descriptor.getClass().getMethod("getFullName").invoke(descriptor);
      Object file = descriptor.getClass().getMethod("getFile").invoke(descriptor);
      Map<String, byte[]> files = new LinkedHashMap<>();
      collect(file, files);
      FileDescriptorSet.Builder set = FileDescriptorSet.newBuilder();
      for (byte[] bytes : files.values()) {
        set.addFile(FileDescriptorProto.parseFrom(bytes));
      }
      return new MessageRef(set.build().toByteArray(), fullName);
    } catch (ReflectiveOperationException | com.google.protobuf.InvalidProtocolBufferException e) {
      throw SourceErrors.badProtoClass(className, e); // ClassNotFoundException included
    }
  }

  /** Dependencies first, so that building the set later finds them in order. */
  private static void collect(Object file, Map<String, byte[]> out)
      throws ReflectiveOperationException {
    Class<?> c = file.getClass();
    String name = (String) c.getMethod("getName").invoke(file);
    if (out.containsKey(name)) {
      return;
    }
    for (Object dep : (List<?>) c.getMethod("getDependencies").invoke(file)) {
      collect(dep, out);
    }
    Object proto = c.getMethod("toProto").invoke(file);
    Method toBytes = proto.getClass().getMethod("toByteArray");
    out.put(name, (byte[]) toBytes.invoke(proto));
  }
}
