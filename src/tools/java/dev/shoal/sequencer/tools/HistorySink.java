package dev.shoal.sequencer.tools;

import dev.shoal.sequencer.core.types.Batch;
import dev.shoal.sequencer.storage.WriteGroup;
import java.time.Instant;
import java.util.List;

/** Where a {@link HistoryGenerator} puts what the recorded validator persisted, in persist order. */
public interface HistorySink {
    /** Batches sealed by the recorded validator's worker; durable before the core hears of them (as the mempool does). */
    void batches(List<Batch> ownBatches);

    /** One step's persisted records (at the run's clock {@code at}), mapped exactly as the driver maps them ({@code storage/WriteGroupMapper}). */
    void write(WriteGroup group, Instant at);
}
