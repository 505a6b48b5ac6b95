package dev.shoal.sequencer.worker;

/**
 * The worker holds its limit of transactions that are not yet durable, or of acknowledged ones the
 * committee has not yet ordered; the client should retry later (503 overloaded, Retry-After).
 */
public final class MempoolFullException extends RuntimeException {
    public MempoolFullException(int pending, int limit) {
        super("too many transactions waiting to be made durable (" + pending + ", limit " + limit + "); retry later");
    }

    private MempoolFullException(String message) {
        super(message);
    }

    /** More acknowledged transactions wait to be ordered than the backlog allows: the committee orders less than it is offered. */
    static MempoolFullException unordered(long waiting, long limit) {
        return new MempoolFullException(waiting + " transactions accepted here wait to be ordered (limit " + limit
                + ", sequencer.batch.max-unordered-transactions): the committee is offered more than it orders; retry later");
    }
}
