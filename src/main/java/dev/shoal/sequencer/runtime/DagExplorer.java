package dev.shoal.sequencer.runtime;

import dev.shoal.sequencer.core.consensus.DagWindow;
import dev.shoal.sequencer.driver.ValidatorDriver;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/**
 * Reads a window of the live DAG for the explorer page (GET /api/v1/dag): the capture runs on the
 * consensus loop, which owns the DAG, and everything after it on a worker thread.
 */
@ApplicationScoped
public class DagExplorer {
    private final NodeBoot boot;

    DagExplorer(NodeBoot boot) {
        this.boot = boot;
    }

    /** The last {@code rounds} rounds; fails with NotReadyException until the consensus loop runs. */
    public Uni<DagWindow> window(int rounds) {
        ValidatorDriver driver = boot.running().map(RunningNode::driver)
                .orElseThrow(() -> new NotReadyException("the node is recovering; the DAG is not open yet"));
        return Uni.createFrom().completionStage(() -> driver.inspect(core -> DagWindow.capture(core.dag(), core.consensus(), rounds))
                        .orTimeout(5, TimeUnit.SECONDS))
                .emitOn(Infrastructure.getDefaultWorkerPool());
    }
}
