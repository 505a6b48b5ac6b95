package dev.shoal.sequencer.sim;

import dev.shoal.sequencer.core.consensus.CommittedSubDag;
import dev.shoal.sequencer.core.consensus.ConsensusState;
import dev.shoal.sequencer.core.validator.PersistRecord;
import dev.shoal.sequencer.core.validator.ValidatorStateMachine;
import java.util.ArrayList;
import java.util.List;

/**
 * One simulated validator: its state machine, what it has "persisted" (exactly the records of
 * its outputs' {@code toPersist}, which is all a restart may use) and what it has published.
 */
final class SimNode {
    final int index;
    final ByzantineBehaviour byzantine; // null for an honest node
    ValidatorStateMachine machine;
    final List<PersistRecord> persisted = new ArrayList<>();
    final List<CommittedSubDag> published = new ArrayList<>();
    boolean up = true;
    /** Down for the whole run (never started): not held to liveness, given no batches. */
    boolean absent;
    /** Bumped at every crash: timers set by an earlier incarnation never fire. */
    int incarnation;
    long lastTickMs = -1;
    int restarts;
    /** The latest consensus state the checkpoint job took (null before the first one). */
    ConsensusState checkpoint;
    int checkpointRestores;
    /** Restarts that lost every record (an emptied database, the same key). */
    int wipes;
    /** Highest anchor round this node has published. */
    long committedAnchorRound = -1;
    /** The next batch is the first of a busy phase that follows an idle one. */
    boolean afterIdle;

    SimNode(int index, ByzantineBehaviour byzantine, ValidatorStateMachine machine) {
        this.index = index;
        this.byzantine = byzantine;
        this.machine = machine;
    }

    boolean honest() {
        return byzantine == null;
    }
}
