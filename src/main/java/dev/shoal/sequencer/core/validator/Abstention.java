package dev.shoal.sequencer.core.validator;

/**
 * Safety rule 8: we neither vote nor propose in rounds up to {@link #through} (-1: none). A
 * validator that starts without records may have used rounds it no longer knows of: Long.MAX_VALUE
 * until {@link Event.SafeRoundLearned} says how far the committee had certified.
 */
final class Abstention {
    private long through = -1;

    /** Abstain from everything until {@link #learn} (no effect in a committee of one: nobody else to vote for). */
    void untilSafeRoundLearned(int committeeSize) {
        if (committeeSize > 1) through = Long.MAX_VALUE;
    }

    /** Returns false when the safe round was learned already (later answers change nothing). */
    boolean learn(long highestCertifiedRound) {
        if (through != Long.MAX_VALUE) return false;
        // Nothing certified above genesis: nothing can have been voted into a certificate yet.
        through = highestCertifiedRound == 0 ? 0 : highestCertifiedRound + 1;
        return true;
    }

    boolean abstainsIn(long round) {
        return round <= through;
    }
}
