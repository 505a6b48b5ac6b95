package dev.shoal.sequencer.runtime;

import dev.shoal.sequencer.driver.ValidatorDriver;
import dev.shoal.sequencer.output.TransactionIndexer;
import dev.shoal.sequencer.peer.PeerServices;
import dev.shoal.sequencer.recovery.RecoveryResult;
import dev.shoal.sequencer.storage.SequencerStore;
import dev.shoal.sequencer.storage.pipeline.GroupCommitPipeline;
import dev.shoal.sequencer.worker.Mempool;
import java.util.Optional;

/**
 * One validator after start-up recovery, assembled once by {@link NodeAssembly} and never changed:
 * storage, the group-commit pipeline, the consensus loop, the transaction indexer, the worker's
 * mempool and (in a committee of more than one) the peer side. (The first commit it holds is
 * published through {@link CommitFeed#firstHeldCommit()}.)
 */
record RunningNode(SequencerStore store, GroupCommitPipeline pipeline, ValidatorDriver driver,
                          TransactionIndexer indexer, Mempool mempool, Optional<PeerServices> peers,
                          RecoveryResult recovery, ConsensusMetrics consensusMetrics)
        implements AutoCloseable {

    /** Stops the parts in the order that lets each drain into the next: peers first, storage last. */
    @Override
    public void close() {
        peers.ifPresent(PeerServices::close);
        consensusMetrics.close();
        driver.close();
        indexer.close();
        mempool.close();
        pipeline.close();
    }
}
