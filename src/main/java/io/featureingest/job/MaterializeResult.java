package io.featureingest.job;

import io.featureingest.online.Materialization;
import java.time.Instant;
import java.util.Optional;

/**
 * What materializing one table did: its row counts, the online store written (as the summary names
 * it) and, for an incremental run, the watermark stored for the next one and whether rows before
 * the last watermark were read for late arrivals (not on a table's first run).
 */
public record MaterializeResult(
    String table,
    Materialization.Result rows,
    String onlineStore,
    Optional<Instant> watermark,
    boolean lateRowsRead) {}
