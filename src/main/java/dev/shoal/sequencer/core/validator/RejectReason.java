package dev.shoal.sequencer.core.validator;

/**
 * Why an input from a peer was rejected (docs/safety.md, rule 6). Rejected inputs are counted by
 * reason, never persisted and never voted for.
 */
public enum RejectReason {
    /** Author, voter or sender index is not a committee member. */
    UNKNOWN_VALIDATOR,
    /** Epoch differs from the committee's. */
    WRONG_EPOCH,
    /** A header or vote for round 0, or a header not from its author. */
    MALFORMED,
    /** A header whose sender is not its author (headers are authenticated by the link). */
    SENDER_NOT_AUTHOR,
    /** A header's parents are not all of the previous round. */
    PARENT_WRONG_ROUND,
    /** A header's parents carry less than 2f+1 stake. */
    PARENTS_NO_QUORUM,
    /** A header references more batches than allowed. */
    OVERSIZED,
    /** A second, different header by one author in one round. */
    EQUIVOCATION,
    /** A vote, or a signature in a certificate, that does not verify. */
    INVALID_SIGNATURE,
    /** A certificate that fails the committee check (unknown signers, signature count, genesis). */
    INVALID_CERTIFICATE,
    /** A certificate whose signers carry less than 2f+1 stake: a forged quorum. */
    NO_QUORUM,
    /** A certificate the DAG refused (structure, or a different certificate for the same author and round). */
    DAG_REJECTED,
    /** A header, vote or certificate below the garbage-collection round. */
    STALE,
    /**
     * A header more than gcDepth rounds above our DAG: we could not check its parents for a long time,
     * and holding it would let a peer fill our bookkeeping with far-future rounds (range sync catches
     * us up; the author re-sends).
     */
    TOO_FAR_AHEAD,
    /** A header waiting for parents could not be held: the pending set is full. */
    PENDING_FULL,
    /** A vote that is not for our current header (late or misdirected). */
    VOTE_NOT_FOR_OUR_HEADER
}
