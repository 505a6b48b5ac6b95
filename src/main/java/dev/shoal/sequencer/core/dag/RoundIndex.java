package dev.shoal.sequencer.core.dag;

import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Digest;
import java.util.ArrayList;
import java.util.HashMap;

/**
 * The vertices the {@link Dag} holds, by digest and by (round, author), from the GC round up to the
 * highest round. Adds and drops vertices without any checks: the DAG checks first.
 */
final class RoundIndex {
    private final int size;
    private final HashMap<Digest, Vertex> byDigest = new HashMap<>();
    /** rounds.get(i) holds round baseRound + i, indexed by author; baseRound == gcRound. */
    private final ArrayList<Vertex[]> rounds = new ArrayList<>();
    private long baseRound;
    private long highestRound;

    /** An index holding the committee's genesis certificates (round 0). */
    RoundIndex(Committee committee, int size) {
        this.size = size;
        Vertex[] genesis = new Vertex[size];
        for (Certificate g : committee.genesis()) {
            Vertex v = new Vertex(g, new long[0]);
            genesis[g.author()] = v;
            byDigest.put(g.digest(), v);
        }
        rounds.add(genesis);
    }

    /** Highest round with a vertex (0 when only genesis is present). */
    long highestRound() { return highestRound; }

    /** Number of vertices held. */
    int count() { return byDigest.size(); }

    boolean contains(Digest digest) {
        return byDigest.containsKey(digest);
    }

    /** The vertex of a digest, or null. */
    Vertex get(Digest digest) {
        return byDigest.get(digest);
    }

    /** The slots of a round indexed by author, or null when the round is not held. */
    Vertex[] slots(long round) {
        long i = round - baseRound;
        return i < 0 || i >= rounds.size() ? null : rounds.get((int) i);
    }

    /** The vertex of (author, round), or null. */
    Vertex vertex(int author, long round) {
        Vertex[] slots = slots(round);
        return slots == null || author < 0 || author >= size ? null : slots[author];
    }

    /** Number of 64-bit words of a parent-author bitmask for this committee. */
    int words() {
        return (size + 63) >>> 6;
    }

    void add(Certificate c, long[] mask) {
        Vertex v = new Vertex(c, mask);
        long index = c.round() - baseRound;
        while (rounds.size() <= index) rounds.add(new Vertex[size]);
        rounds.get((int) index)[c.author()] = v;
        byDigest.put(c.digest(), v);
        if (c.round() > highestRound) highestRound = c.round();
    }

    /** Drops every round below {@code target}, which becomes the lowest round held. */
    void dropBelow(long target) {
        int drop = (int) Math.min(rounds.size(), target - baseRound);
        for (int i = 0; i < drop; i++) {
            for (Vertex v : rounds.get(i)) if (v != null) byDigest.remove(v.digest());
        }
        rounds.subList(0, drop).clear();
        baseRound = target;
        if (rounds.isEmpty()) rounds.add(new Vertex[size]);
    }
}
