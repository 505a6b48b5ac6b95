package dev.shoal.sequencer.storage.pipeline;

/** What the pipeline reports: metrics and storage health. All methods are called on the pipeline thread. */
public interface PipelineListener {
    /** A group of records became durable after waiting latencyNanos (oldest record's wait). */
    default void flushed(int records, int submissions, long latencyNanos) {}

    /** A write failed; the pipeline will retry after delayMillis (-1: never, a {@code SafetyRecordConflictException}). */
    default void writeFailed(Throwable cause, int attempt, long delayMillis) {}

    /** Storage became unhealthy (a write failed) or healthy again (a write succeeded after failures). */
    default void storageHealth(boolean healthy) {}

    /** Records waiting (not yet durable), after each change. */
    default void queueDepth(int records) {}

    PipelineListener NONE = new PipelineListener() {};
}
