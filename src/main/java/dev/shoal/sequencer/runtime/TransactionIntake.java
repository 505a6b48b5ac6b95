package dev.shoal.sequencer.runtime;

import dev.shoal.sequencer.core.types.Transaction;
import dev.shoal.sequencer.node.NodeLifecycle;
import dev.shoal.sequencer.worker.Admission;
import dev.shoal.sequencer.worker.MempoolFullException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Where client transactions enter: the worker's mempool, only while the node is ready and storage writable. */
@ApplicationScoped
public class TransactionIntake {
    private final NodeBoot boot;
    private final NodeLifecycle lifecycle;

    TransactionIntake(NodeBoot boot, NodeLifecycle lifecycle) {
        this.boot = boot;
        this.lifecycle = lifecycle;
    }

    /**
     * Admits the transactions; the Uni completes once the batch holding each admitted one is durable.
     *
     * @throws NotReadyException while recovering or while storage is not writable
     */
    public Uni<List<Admission>> submit(List<Transaction> transactions) {
        return readyNode().mempool().submit(transactions);
    }

    /**
     * Refuses now what {@link #submit} would refuse for any request: not ready, or overloaded. Called
     * before a request body is read and decoded, so a node offered more than it orders spends little
     * on what it refuses.
     *
     * @throws NotReadyException    while recovering or while storage is not writable
     * @throws MempoolFullException while too many transactions wait to be made durable or to be ordered
     */
    public void refuseIfUnable() {
        readyNode().mempool().refuseIfFull();
    }

    private RunningNode readyNode() {
        RunningNode node = boot.running().orElse(null);
        if (node == null || lifecycle.state() != NodeLifecycle.State.READY) {
            throw new NotReadyException("the node is recovering; it accepts transactions once recovery is done");
        }
        if (!lifecycle.storageHealthy()) {
            throw new NotReadyException("storage is not writable; transactions are refused until writes succeed again");
        }
        return node;
    }
}
