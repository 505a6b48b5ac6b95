package dev.shoal.sequencer.core.dag;

/**
 * The path and support queries of the {@link Dag} over the vertices of its {@link RoundIndex}: the
 * stake supporting an anchor in the next round, and whether one vertex reaches another.
 */
final class Reachability {
    private final int size;
    private final long[] stakes;
    private final RoundIndex index;

    Reachability(int size, long[] stakes, RoundIndex index) {
        this.size = size;
        this.stakes = stakes;
        this.index = index;
    }

    /** Stake of the vertices of round {@code v.round() + 1} that have {@code v} as a parent. */
    long supportStake(Vertex v) {
        Vertex[] next = index.slots(v.round() + 1);
        if (next == null) return 0;
        long s = 0;
        int a = v.author();
        for (Vertex child : next) {
            if (child != null && child.hasParentAuthor(a)) s += stakes[child.author()];
        }
        return s;
    }

    /** True when {@code to} is {@code from} or in its causal history (searching only the rounds between them). */
    boolean hasPath(Vertex from, Vertex to) {
        if (from.round() < to.round()) return false;
        if (from.round() == to.round()) return from == to;
        int words = (size + 63) >>> 6;
        long[] reach = from.parentMask().clone();
        for (long r = from.round() - 1; r > to.round(); r--) {
            Vertex[] slots = index.slots(r);
            if (slots == null) return false;
            long[] next = new long[words];
            boolean any = false;
            for (int word = 0; word < reach.length; word++) {
                long w = reach[word];
                while (w != 0) {
                    int a = word * 64 + Long.numberOfTrailingZeros(w);
                    w &= w - 1;
                    Vertex v = a < size ? slots[a] : null;
                    if (v == null) continue;
                    long[] pm = v.parentMask();
                    for (int k = 0; k < pm.length; k++) {
                        next[k] |= pm[k];
                        any |= pm[k] != 0;
                    }
                }
            }
            if (!any) return false;
            reach = next;
        }
        int a = to.author();
        int word = a >>> 6;
        return word < reach.length && (reach[word] & (1L << (a & 63))) != 0 && index.vertex(a, to.round()) == to;
    }
}
