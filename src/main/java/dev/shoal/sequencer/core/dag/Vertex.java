package dev.shoal.sequencer.core.dag;

import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;

/**
 * A certificate as it sits in the {@link Dag}: its round, author and the set of its parents'
 * authors as a bitmask. Because the DAG holds at most one certificate per (author, round) and every
 * parent of a vertex is in the previous round, the parent authors identify the parents exactly;
 * keeping authors instead of references lets garbage-collected rounds really leave the heap.
 */
public final class Vertex {
    private final Certificate certificate;
    private final long round;
    private final int author;
    private final long[] parentMask;

    Vertex(Certificate certificate, long[] parentMask) {
        this.certificate = certificate;
        this.round = certificate.round();
        this.author = certificate.author();
        this.parentMask = parentMask;
    }

    public Certificate certificate() { return certificate; }
    public Digest digest() { return certificate.digest(); }
    public long round() { return round; }
    public int author() { return author; }

    /** True when this vertex has the previous-round certificate of {@code parentAuthor} as a parent. */
    public boolean hasParentAuthor(int parentAuthor) {
        int word = parentAuthor >>> 6;
        return word < parentMask.length && (parentMask[word] & (1L << (parentAuthor & 63))) != 0;
    }

    /** Authors of the parents, ascending (empty for genesis and for a vertex whose parents were below GC). */
    public int[] parentAuthors() {
        int count = 0;
        for (long w : parentMask) count += Long.bitCount(w);
        int[] authors = new int[count];
        int k = 0;
        for (int word = 0; word < parentMask.length; word++) {
            long w = parentMask[word];
            while (w != 0) {
                authors[k++] = word * 64 + Long.numberOfTrailingZeros(w);
                w &= w - 1;
            }
        }
        return authors;
    }

    /** Number of 64-bit words of the parent-author bitmask. */
    public int parentMaskWords() {
        return parentMask.length;
    }

    /** Word {@code i} of the parent-author bitmask: bit b set means author {@code 64 * i + b} is a parent. */
    public long parentMaskWord(int i) {
        return parentMask[i];
    }

    long[] parentMask() {
        return parentMask;
    }

    @Override
    public String toString() {
        return "Vertex[r" + round + " a" + author + " " + certificate.digest().shortHex() + "]";
    }
}
