package dev.shoal.sequencer.driver;

import dev.shoal.sequencer.core.consensus.CommittedSubDag;

/** Receives committed sub-DAGs once they are durable, in commit-index order, each exactly once per run. */
@FunctionalInterface
public interface CommitSink {
    void published(CommittedSubDag subDag);
}
