package dev.shoal.sequencer.worker;

/**
 * What the worker did with one submitted transaction; each outcome is an acknowledgement: the
 * transaction is durable and will be, or was, ordered once.
 *
 * @param status      what happened to it
 * @param commitIndex for {@link Status#COMMITTED}, the commit that output it; 0 otherwise
 */
public record Admission(Status status, long commitIndex) {
    public enum Status {
        /** New here: packed into a batch that is now durable. */
        ACCEPTED,
        /** Already accepted by this validator and not (yet) in the committed output it remembers: not packed again. */
        DUPLICATE,
        /** Already in the committed output, within the transaction window: not packed again. */
        COMMITTED
    }

    static final Admission ACCEPTED = new Admission(Status.ACCEPTED, 0);
    static final Admission DUPLICATE = new Admission(Status.DUPLICATE, 0);

    static Admission committed(long commitIndex) {
        return new Admission(Status.COMMITTED, commitIndex);
    }
}
