package dev.shoal.sequencer.worker;

/** The worker holds its limit of transactions that are not yet durable; the client should retry later. */
public final class MempoolFullException extends RuntimeException {
    public MempoolFullException(int pending, int limit) {
        super("too many transactions waiting to be made durable (" + pending + ", limit " + limit + "); retry later");
    }
}
