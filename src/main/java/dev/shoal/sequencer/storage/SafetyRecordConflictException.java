package dev.shoal.sequencer.storage;

/**
 * A write would store a second, different own header or vote for one (author, round), or a second
 * commit at one index (or one anchor at two indexes): the node is about to break a safety rule its
 * database already holds it to (after a restore of an older backup, two processes on one key, or a
 * bug). Never retried and never ignored: the write changes nothing and the node stops; started again,
 * it recovers from what the database holds.
 */
public final class SafetyRecordConflictException extends RuntimeException {
    public SafetyRecordConflictException(String message) {
        super(message, null, false, false);
    }

    /** True when {@code error} or one of its causes is a conflict. */
    public static boolean in(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SafetyRecordConflictException) return true;
            if (t.getCause() == t) break;
        }
        return false;
    }
}
