package io.featureingest.stream;

import io.featureingest.spec.BatchSource;
import io.featureingest.spec.ConfigErrors;
import io.featureingest.spec.FileSource;
import java.util.Optional;
import org.apache.spark.sql.streaming.Trigger;

/**
 * How a stream runs: its checkpoint (stable per table, so a restart resumes where it stopped), the
 * trigger, and the online write settings shared with push.
 */
public record StreamSettings(String checkpoint, Trigger trigger, Push.Settings push) {
  public StreamSettings {
    if (checkpoint == null || checkpoint.isBlank()) {
      throw ConfigErrors.required("stream", "a checkpoint location");
    }
  }

  /**
   * The default checkpoint of a table: {@code <stream.checkpoint_root>/<table>} when the root is
   * configured, else {@code <batch source path>/_checkpoints/stream}.
   */
  public static String defaultCheckpoint(
      String table, BatchSource batchSource, Optional<String> checkpointRoot) {
    if (checkpointRoot.isPresent() && !checkpointRoot.get().isBlank()) {
      String root = checkpointRoot.get();
      return (root.endsWith("/") ? root : root + "/") + table;
    }
    if (batchSource instanceof FileSource f) {
      String p = f.path();
      return (p.endsWith("/") ? p : p + "/") + "_checkpoints/stream";
    }
    throw ConfigErrors.noDefaultLocation(
        table, "checkpoint", "give --checkpoint URI or set stream.checkpoint_root");
  }

  /** {@code --trigger 10s} (any duration Spark reads) or {@code --available-now}. */
  public static Trigger trigger(String interval, boolean availableNow) {
    if (availableNow && interval != null) {
      throw ConfigErrors.eitherNotBoth("stream", "--trigger", "--available-now");
    }
    if (availableNow) {
      return Trigger.AvailableNow();
    }
    if (interval == null || interval.isBlank()) {
      return Trigger.ProcessingTime(0L);
    }
    try {
      return Trigger.ProcessingTime(interval.trim());
    } catch (IllegalArgumentException e) {
      throw ConfigErrors.expected("--trigger", "an interval such as 10s or 1 minute", interval);
    }
  }
}
