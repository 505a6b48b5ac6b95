package dev.shoal.sequencer.core.validator;

import dev.shoal.sequencer.core.dag.Dag;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Header;
import java.util.Collection;
import java.util.TreeMap;
import java.util.TreeSet;

/** Safety rule 1: our headers by round (persisted), and which of them were certified. */
final class OwnHeaders {
    private final Dag dag;
    private final TreeMap<Long, Header> byRound = new TreeMap<>();
    /**
     * Rounds of our headers that were certified (our certificate entered the DAG). Kept beside the
     * DAG because GC drops certificates: a certified header whose certificate was collected must
     * still count as certified, or its batches would be proposed a second time.
     */
    private final TreeSet<Long> certifiedRounds = new TreeSet<>();

    OwnHeaders(Dag dag) {
        this.dag = dag;
    }

    /** Round of our latest header (0 before the first proposal). */
    long round() {
        return byRound.isEmpty() ? 0 : byRound.lastKey();
    }

    Header get(long round) {
        return byRound.get(round);
    }

    Collection<Header> all() {
        return byRound.values();
    }

    void add(Header h) {
        byRound.put(h.round(), h);
    }

    /** A header read back by restore: a different one for a round already held means a corrupt store. */
    void restore(Header h) {
        Header previous = byRound.put(h.round(), h);
        if (previous != null && !previous.equals(h)) {
            throw new IllegalStateException("two own headers persisted for round " + h.round());
        }
    }

    void markCertified(long round) {
        certifiedRounds.add(round);
    }

    boolean certified(Header h) {
        return certifiedRounds.contains(h.round()) || dag.contains(Certificate.digestOf(h.digest()));
    }

    /** Drops rounds below {@code gc}, but keeps the latest header whatever its round: it is the one a restart re-sends. */
    void pruneBelow(long gc) {
        long keepFrom = Math.min(gc, round());
        byRound.headMap(keepFrom, false).clear();
        certifiedRounds.headSet(keepFrom, false).clear();
    }
}
