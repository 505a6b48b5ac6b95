package dev.shoal.sequencer.core.validator;

/** The timers a validator asks its driver to set. */
public enum TimerKind {
    /**
     * Stop waiting for the leader of a round: once it fires for round r, the validator proposes
     * round r+1 as soon as it holds a quorum of round-r certificates, leader or not.
     */
    ROUND_TIMEOUT,
    /**
     * Periodic re-send of our uncertified header and our latest certificate, and re-request of
     * missing parents: what keeps the protocol live over lossy links and across restarts.
     * Its round field is a generation number; a firing from an older generation is ignored.
     */
    RESEND,
    /**
     * Our idle wait is over: the idle header interval has passed since our header of this round,
     * so we propose the next one even without work (as soon as the round allows). Its round field
     * is our round when it was set; a firing for an older round is ignored.
     */
    IDLE_HEADER
}
