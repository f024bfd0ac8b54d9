package io.featureingest.source.stream;

import io.featureingest.spec.ConfigErrors;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Small files (schemas, descriptor sets) from any Hadoop URI, so a cluster job can read them. */
final class HadoopText {
  private HadoopText() {}

  static String read(String uri, Configuration hadoop, String what) {
    return new String(bytes(uri, hadoop, what), java.nio.charset.StandardCharsets.UTF_8);
  }

  static byte[] bytes(String uri, Configuration hadoop, String what) {
    Path path = new Path(uri);
    try {
      FileSystem fs = path.getFileSystem(hadoop);
      try (InputStream in = fs.open(path)) {
        return in.readAllBytes();
      }
    } catch (IOException e) {
      throw ConfigErrors.cannotRead(what + " '" + uri + "'", e);
    }
  }
}
