package dev.shoal.sequencer.recovery;

/**
 * Wall time of recovery's steps, logged in one line, so a slow start shows where its time went
 * (database, decoding, replay) without a profiler.
 */
final class Steps {
    private final StringBuilder line = new StringBuilder();
    private long mark = System.nanoTime();

    /** Records the time since the previous lap (or since construction) under name. */
    void lap(String name) {
        long now = System.nanoTime();
        add(name, now - mark);
        mark = now;
    }

    /** Records a time measured elsewhere (a part of a lap); does not move the lap mark. */
    void add(String name, long nanos) {
        if (!line.isEmpty()) line.append(", ");
        line.append(name).append(' ').append(nanos / 1_000_000).append(" ms");
    }

    @Override
    public String toString() {
        return line.toString();
    }
}
