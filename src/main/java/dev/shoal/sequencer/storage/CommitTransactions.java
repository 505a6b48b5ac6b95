package dev.shoal.sequencer.storage;

import dev.shoal.sequencer.core.types.Digest;
import java.util.List;

/**
 * The transactions one commit outputs, decided by transaction-level exactly-once output: the
 * transactions of the commit's output batches in order, less every one the committed output
 * already carried within the transaction window, or that appeared earlier in this commit.
 *
 * @param commitIndex the commit
 * @param outputEnd   transactions the output carried up to and including this commit (its position)
 * @param output      the digests of the transactions this commit outputs, in order
 * @param skipped     the digests left out, one per listing left out, in order
 */
public record CommitTransactions(long commitIndex, long outputEnd, List<Digest> output, List<Digest> skipped) {
    public CommitTransactions {
        if (commitIndex < 1) throw new IllegalArgumentException("commit index starts at 1, got " + commitIndex);
        output = List.copyOf(output);
        skipped = List.copyOf(skipped);
        if (outputEnd < output.size()) throw new IllegalArgumentException("output end " + outputEnd + " below the commit's own output");
    }
}
