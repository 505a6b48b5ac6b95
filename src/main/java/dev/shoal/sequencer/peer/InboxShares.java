package dev.shoal.sequencer.peer;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Each peer's fair share of the consensus loop's inbox: at most {@code perPeer} events from one
 * peer wait there at once, so a peer that floods (a Byzantine one, or one replaying a long range)
 * cannot crowd the others' votes and certificates out. Events the node makes itself (timers, its
 * own batches) are outside the shares. Thread-safe.
 */
final class InboxShares {
    private final AtomicIntegerArray waiting;
    private final int perPeer;

    /** @param inboxCapacity events the loop's inbox holds; one share of it per validator stays free for our own */
    InboxShares(int committeeSize, int inboxCapacity) {
        this.waiting = new AtomicIntegerArray(committeeSize);
        this.perPeer = Math.max(1, inboxCapacity / committeeSize);
    }

    int perPeer() {
        return perPeer;
    }

    /** Takes a place for one event of {@code peer}; false when its share is used up (the event is dropped; peers re-send). */
    boolean take(int peer) {
        if (waiting.incrementAndGet(peer) > perPeer) {
            waiting.decrementAndGet(peer);
            return false;
        }
        return true;
    }

    /** The event left the inbox (processed, or refused by the loop). */
    void release(int peer) {
        waiting.decrementAndGet(peer);
    }

    int waiting(int peer) {
        return waiting.get(peer);
    }
}
