package dev.shoal.sequencer.recovery;

/** How a starting node rebuilds its state (docs/recovery.md). */
public enum RecoveryStrategy {
    /** Stream every certificate from the database and replay the consensus from genesis. */
    FROM_SCRATCH,
    /** Load the latest checkpoint, then replay only the certificates it does not hold. */
    FROM_CHECKPOINT,
    /** FROM_CHECKPOINT; on a missing, corrupt or inconsistent checkpoint, FROM_SCRATCH. */
    HYBRID;

    public static RecoveryStrategy parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown recovery strategy '" + s + "' (use FROM_SCRATCH, FROM_CHECKPOINT or HYBRID)");
        }
    }
}
