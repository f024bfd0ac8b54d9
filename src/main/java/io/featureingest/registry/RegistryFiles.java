package io.featureingest.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/** The registry's file operations: atomic replace, per-name locks, reads and listings. */
final class RegistryFiles {
  /** Object stores make a single written object visible at close: that is their atomic replace. */
  private static final Set<String> OBJECT_STORES =
      Set.of("gs", "s3", "s3a", "s3n", "wasb", "wasbs", "abfs", "abfss", "oss");

  private static final long LOCK_WAIT_MS = 60_000;
  private static final long STALE_LOCK_MS = 120_000;

  private final Path root;
  private final FileSystem fs;
  private final Configuration conf;

  /** Runs between writing the temporary file and renaming it; tests use it to simulate a crash. */
  Runnable beforeRename = () -> {};

  RegistryFiles(String path, Configuration conf) {
    try {
      Path p = new Path(path);
      this.fs = p.getFileSystem(conf);
      this.root = fs.makeQualified(p);
      this.conf = conf;
    } catch (IOException | IllegalArgumentException e) {
      throw new io.featureingest.spec.ConfigException(
          "registry.path: cannot open '" + path + "': " + e.getMessage());
    }
  }

  Path root() {
    return root;
  }

  Optional<String> read(Path file) {
    try (InputStream in = fs.open(file)) {
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (java.io.FileNotFoundException e) {
      return Optional.empty();
    } catch (org.apache.hadoop.fs.ChecksumException e) {
      throw new io.featureingest.spec.ConfigException(
          "registry "
              + file
              + " is damaged (checksum mismatch); re-apply the table with 'apply --force'");
    } catch (IOException e) {
      throw Registry.unreachable("reading " + file, e);
    }
  }

  List<FileStatus> listJson(Path dir) {
    try {
      if (!fs.exists(dir)) {
        return List.of();
      }
      List<FileStatus> out = new ArrayList<>();
      for (FileStatus s : fs.listStatus(dir)) {
        String name = s.getPath().getName();
        if (s.isFile()
            && name.endsWith(".json")
            && !name.startsWith(".")
            && !name.startsWith("_")) {
          out.add(s);
        }
      }
      return out;
    } catch (IOException e) {
      throw Registry.unreachable("listing " + dir, e);
    }
  }

  boolean delete(Path file) {
    try {
      return fs.delete(file, false);
    } catch (IOException e) {
      throw Registry.unreachable("deleting " + file, e);
    }
  }

  /** Replaces {@code file} with {@code bytes}: readers see the old content or the new, whole. */
  void writeAtomically(Path file, byte[] bytes) {
    try {
      fs.mkdirs(file.getParent());
      if (OBJECT_STORES.contains(root.toUri().getScheme())) {
        try (OutputStream out = fs.create(file, true)) {
          out.write(bytes);
        }
        return;
      }
      Path tmp =
          new Path(file.getParent(), "." + file.getName() + "." + UUID.randomUUID() + ".tmp");
      try (OutputStream out = fs.create(tmp, false)) {
        out.write(bytes);
      }
      beforeRename.run();
      FileContext.getFileContext(root.toUri(), conf).rename(tmp, file, Options.Rename.OVERWRITE);
    } catch (IOException e) {
      throw Registry.unreachable("writing " + file, e);
    }
  }

  /** Runs {@code action} holding the lock of {@code name}, waiting for another holder to finish. */
  <T> T withLock(String name, Supplier<T> action) {
    Path lock = new Path(new Path(root, "locks"), name + ".lock");
    acquire(lock);
    try {
      return action.get();
    } finally {
      delete(lock);
    }
  }

  private void acquire(Path lock) {
    long deadline = System.currentTimeMillis() + LOCK_WAIT_MS;
    while (true) {
      try {
        if (tryCreate(lock)) {
          return;
        }
        FileStatus held = fs.getFileStatus(lock);
        if (System.currentTimeMillis() - held.getModificationTime() > STALE_LOCK_MS) {
          fs.delete(lock, false); // left by a crashed run
          continue;
        }
      } catch (java.io.FileNotFoundException released) {
        continue;
      } catch (IOException e) {
        throw Registry.unreachable("locking " + lock, e);
      }
      if (System.currentTimeMillis() > deadline) {
        throw new io.featureingest.spec.StoreUnavailableException(
            "registry: " + lock + " is held by another run; if none is running, delete the file",
            null);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + lock, e);
      }
    }
  }

  /** Creates the lock file only if it does not exist, atomically. */
  private boolean tryCreate(Path lock) throws IOException {
    fs.mkdirs(lock.getParent());
    URI uri = lock.toUri();
    if ("file".equals(uri.getScheme())) {
      // Hadoop's local create(overwrite=false) checks then creates; NIO's CREATE_NEW is atomic.
      try {
        Files.createFile(Paths.get(uri));
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      }
    }
    try (OutputStream out = fs.create(lock, false)) {
      return true;
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    }
  }
}
