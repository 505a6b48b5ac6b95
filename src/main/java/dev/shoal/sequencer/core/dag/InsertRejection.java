package dev.shoal.sequencer.core.dag;

/** Why the {@link Dag} refused a certificate (structural checks only; signatures are the caller's job). */
public enum InsertRejection {
    /** The certificate's epoch is not the committee's. */
    WRONG_EPOCH,
    /** The author index is not a committee member. */
    UNKNOWN_AUTHOR,
    /** A round-0 certificate that is not the committee's genesis certificate for that author. */
    INVALID_GENESIS,
    /** A certificate above round 0 without parents, or with more parents than the committee has members. */
    MALFORMED_PARENTS,
    /** A parent is not a certificate of the previous round. */
    PARENT_WRONG_ROUND,
    /** The parents' authors carry less than the quorum threshold (2f+1) of stake. */
    PARENT_QUORUM,
    /** A different certificate for the same (author, round) is already in the DAG or waiting in the pending set. */
    EQUIVOCATION,
    /** The certificate's parents are missing and the pending set is full. */
    PENDING_FULL
}
