package dev.shoal.sequencer.peer;

import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Header;
import java.util.function.LongSupplier;

/**
 * The checks a peer's header passes before it may cost anything outside the consensus core (a
 * batch fetch for each digest it names, a round that catch-up believes): the core's stateless
 * rules (sender is the author, a member, this epoch, a round above genesis, at most
 * {@code maxBatchesPerHeader} batches and n parents) and a bound on how far above our DAG its round
 * may be. The core checks all of it again; this only keeps a hostile header from filling the fetch
 * table first.
 */
final class HeaderGate {
    private final Committee committee;
    private final int maxBatchesPerHeader;
    private final long maxRoundsAhead;
    private final LongSupplier dagRound;

    /**
     * @param maxRoundsAhead rounds above {@code dagRound} a header may be (the core's bound is gcDepth
     *                       above its DAG; this one is wider because {@code dagRound} may lag a little)
     */
    HeaderGate(Committee committee, int maxBatchesPerHeader, long maxRoundsAhead, LongSupplier dagRound) {
        this.committee = committee;
        this.maxBatchesPerHeader = maxBatchesPerHeader;
        this.maxRoundsAhead = maxRoundsAhead;
        this.dagRound = dagRound;
    }

    boolean admits(Header h, int from) {
        return h.author() == from && committee.isMember(from) && h.epoch() == committee.epoch() && h.round() >= 1
                && h.batchDigests().size() <= maxBatchesPerHeader && h.parents().size() <= committee.size()
                && h.round() <= dagRound.getAsLong() + maxRoundsAhead;
    }
}
