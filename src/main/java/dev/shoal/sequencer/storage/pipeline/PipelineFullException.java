package dev.shoal.sequencer.storage.pipeline;

/** The pipeline holds its capacity of unwritten records: the caller should slow down and retry. */
public final class PipelineFullException extends RuntimeException {
    public PipelineFullException(int waiting, int capacity) {
        super("persistence pipeline is full (" + waiting + " of " + capacity + " records waiting)");
    }
}
