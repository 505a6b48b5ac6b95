package dev.shoal.sequencer.storage;

/** What one retention cut deleted, per table. */
public record PrunedHistory(long certificates, long batches, long ownHeaders, long votes, long commits, long transactionRows) {
    public static final PrunedHistory NOTHING = new PrunedHistory(0, 0, 0, 0, 0, 0);

    public long rows() {
        return certificates + batches + ownHeaders + votes + commits + transactionRows;
    }
}
