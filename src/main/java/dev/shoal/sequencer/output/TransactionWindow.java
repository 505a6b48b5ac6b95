package dev.shoal.sequencer.output;

import dev.shoal.sequencer.core.types.Digest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The last {@code capacity} transaction digests the committed output carried, with the commit that
 * carried each: the memory behind transaction-level exactly-once output. A transaction whose
 * digest is here is not output again, whoever packed it a second time.
 *
 * <p>Compact because the default window is a million transactions: the digests sit in one ring of
 * bytes (32 per entry), the commit indexes in a parallel {@code long[]}, and an open-addressing
 * table of ring slots (linear probing, backward-shift deletion) finds them; about 48 bytes per entry.
 * The table's hash is keyed with a random seed per instance: clients choose payloads, so they could
 * otherwise grind digests into one probe chain. Only membership is observable, never the layout,
 * so the seed does not touch determinism.
 *
 * <p>The mempool keeps its dedup window in one too (the last durable transactions it accepted, with
 * commit index 0), for the same compactness.
 *
 * <p>Thread-safe (one lock): the indexer adds, the worker asks when a client submits.
 */
public final class TransactionWindow {
    private final int capacity;
    private final byte[] ring;
    private final long[] commits;
    /** Ring slot + 1 per table cell; 0 marks an empty cell. */
    private final int[] table;
    private final int mask;
    private final long seed = new SecureRandom().nextLong();
    private long added;

    public TransactionWindow(int capacity) {
        if (capacity < 1 || capacity > 10_000_000) {
            throw new IllegalArgumentException("transaction window must hold 1 to 10,000,000 digests, got " + capacity);
        }
        this.capacity = capacity;
        this.ring = new byte[Digest.LENGTH * capacity];
        this.commits = new long[capacity];
        int cells = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) << 1;
        this.table = new int[cells];
        this.mask = cells - 1;
    }

    public int capacity() {
        return capacity;
    }

    /** Digests held now (at most the capacity). */
    public synchronized int size() {
        return (int) Math.min(added, capacity);
    }

    /** Digests ever added: the position in the output after which the next one goes. */
    public synchronized long added() {
        return added;
    }

    public synchronized boolean contains(Digest d) {
        return find(d.toBytes()) >= 0;
    }

    /** The commit that output {@code d}, if it is in the window; 0 when it is not. */
    public synchronized long commitOf(Digest d) {
        int cell = find(d.toBytes());
        return cell < 0 ? 0 : commits[table[cell] - 1];
    }

    /**
     * Records that commit {@code commitIndex} output {@code d}, forgetting the oldest entry when
     * full. {@code d} must not be in the window (the output skips those).
     */
    public synchronized void add(Digest d, long commitIndex) {
        if (!addIfAbsent(d, commitIndex)) throw new IllegalStateException("transaction " + d.shortHex() + " is already in the window");
    }

    /** Records {@code d} unless it is in the window already (one probe); true when it was added. */
    public synchronized boolean addIfAbsent(Digest d, long commitIndex) {
        byte[] bytes = d.toBytes();
        if (find(bytes) >= 0) return false;
        int slot = (int) (added % capacity);
        if (added >= capacity) removeCellOf(slot);
        System.arraycopy(bytes, 0, ring, slot * Digest.LENGTH, Digest.LENGTH);
        commits[slot] = commitIndex;
        int cell = home(bytes, 0);
        while (table[cell] != 0) cell = (cell + 1) & mask;
        table[cell] = slot + 1;
        added++;
        return true;
    }

    private int find(byte[] d) {
        int cell = home(d, 0);
        while (true) {
            int entry = table[cell];
            if (entry == 0) return -1;
            if (Arrays.equals(ring, (entry - 1) * Digest.LENGTH, entry * Digest.LENGTH, d, 0, Digest.LENGTH)) return cell;
            cell = (cell + 1) & mask;
        }
    }

    /** Empties the cell pointing at ring slot {@code slot}, shifting later cells of its chain back. */
    private void removeCellOf(int slot) {
        int hole = home(ring, slot * Digest.LENGTH);
        while (table[hole] != slot + 1) hole = (hole + 1) & mask;
        int next = hole;
        while (true) {
            next = (next + 1) & mask;
            int entry = table[next];
            if (entry == 0) break;
            int h = home(ring, (entry - 1) * Digest.LENGTH);
            // The entry may move back into the hole only if its home is not cyclically in (hole, next].
            boolean homeBetween = hole <= next ? (hole < h && h <= next) : (hole < h || h <= next);
            if (homeBetween) continue;
            table[hole] = entry;
            hole = next;
        }
        table[hole] = 0;
    }

    private int home(byte[] bytes, int offset) {
        long x = seed;
        for (int i = 0; i < 8; i++) x ^= (bytes[offset + i] & 0xffL) << (8 * i);
        // fmix64 of MurmurHash3: every input bit reaches every table bit.
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        x *= 0xc4ceb9fe1a85ec53L;
        x ^= x >>> 33;
        return (int) x & mask;
    }
}
