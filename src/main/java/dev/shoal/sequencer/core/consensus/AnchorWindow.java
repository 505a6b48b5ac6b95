package dev.shoal.sequencer.core.consensus;

import dev.shoal.sequencer.core.consensus.ConsensusState.CommittedAnchor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The committed anchors of the last {@code capacity} rounds, by round: a ring indexed by round, so the
 * per-certificate "did this link to the previous round's committed anchor" check costs no boxing
 * and no tree walk.
 */
final class AnchorWindow {
    private final long[] rounds;
    private final int[] authors;

    AnchorWindow(int capacity) {
        rounds = new long[capacity];
        authors = new int[capacity];
        Arrays.fill(rounds, -1L);
    }

    void put(long round, int author) {
        int slot = (int) (round % rounds.length);
        rounds[slot] = round;
        authors[slot] = author;
    }

    /** The author of the anchor committed in {@code round}, or -1 when none is known in the window. */
    int authorAt(long round) {
        if (round < 0) return -1;
        int slot = (int) (round % rounds.length);
        return rounds[slot] == round ? authors[slot] : -1;
    }

    /** The anchors of rounds {@code from..to}, ascending. */
    List<CommittedAnchor> between(long from, long to) {
        List<CommittedAnchor> out = new ArrayList<>();
        for (long r = Math.max(0, from); r <= to; r++) {
            int a = authorAt(r);
            if (a >= 0) out.add(new CommittedAnchor(r, a));
        }
        return out;
    }
}
