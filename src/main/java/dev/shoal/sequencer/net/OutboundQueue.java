package dev.shoal.sequencer.net;

import java.util.ArrayDeque;

/**
 * The bounded queue of encoded messages for one peer. When a message would take it over its message
 * or byte bound, the OLDEST messages are dropped: a caller is never blocked by a slow peer, and the
 * newest consensus messages are the ones worth delivering (older ones are re-sent or fetched).
 */
final class OutboundQueue {
    private final int capacity;
    private final long maxBytes;
    private final ArrayDeque<byte[]> items = new ArrayDeque<>();
    private long bytes;

    OutboundQueue(int capacity, long maxBytes) {
        this.capacity = capacity;
        this.maxBytes = maxBytes;
    }

    /** Queues a message; returns how many messages were dropped to make room (or 1: the message itself, if it alone exceeds the byte bound). */
    synchronized int offer(byte[] payload) {
        if (payload.length > maxBytes) return 1;
        items.addLast(payload);
        bytes += payload.length;
        int dropped = 0;
        while (items.size() > capacity || bytes > maxBytes) {
            bytes -= items.removeFirst().length;
            dropped++;
        }
        return dropped;
    }

    /** The oldest message, or null when empty. */
    synchronized byte[] poll() {
        byte[] p = items.pollFirst();
        if (p != null) bytes -= p.length;
        return p;
    }

    synchronized int size() {
        return items.size();
    }

    synchronized long bytes() {
        return bytes;
    }
}
