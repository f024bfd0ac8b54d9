package io.featureingest.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.featureingest.offline.BigQueryStore;
import io.featureingest.offline.DeltaStore;
import io.featureingest.offline.OfflineStore;
import io.featureingest.offline.ParquetStore;
import io.featureingest.spec.BigQuerySource;
import io.featureingest.spec.FeatureTable;
import io.featureingest.spec.FileSource;

/**
 * The one place that picks the concrete offline store for a table's batch source.
 *
 * <pre>{@code
 * IngestResult r = Ingestion.ingest(spark, table, df, options, OfflineStores.of(table));
 * }</pre>
 */
public final class OfflineStores {
  private OfflineStores() {}

  /**
   * The store of {@code table}'s batch source; {@code config}'s {@code bigquery} block is read by
   * BigQuery writes.
   */
  public static OfflineStore of(FeatureTable table, Config config) {
    if (table.batchSource() instanceof BigQuerySource) {
      return new BigQueryStore(table, config);
    }
    return switch (((FileSource) table.batchSource()).format()) {
      case PARQUET -> new ParquetStore(table);
      case DELTA -> new DeltaStore(table);
    };
  }

  /** The same with no config: reads, file stores, and BigQuery's direct writes. */
  public static OfflineStore of(FeatureTable table) {
    return of(table, ConfigFactory.empty());
  }
}
