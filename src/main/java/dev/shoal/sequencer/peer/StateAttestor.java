package dev.shoal.sequencer.peer;

import dev.shoal.sequencer.checkpoint.CheckpointBody;
import dev.shoal.sequencer.checkpoint.CheckpointCodec;
import dev.shoal.sequencer.checkpoint.CheckpointException;
import dev.shoal.sequencer.core.consensus.ConsensusConfig;
import dev.shoal.sequencer.core.consensus.ConsensusState;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.storage.CommitLogCodec;
import dev.shoal.sequencer.output.WindowSnapshot;
import dev.shoal.sequencer.storage.CheckpointRecord;
import dev.shoal.sequencer.storage.CommitRecord;
import dev.shoal.sequencer.storage.SequencerStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Answers "what is your consensus state after commit K?" and "what is your transaction window after
 * commit K?" for a validator joining from a peer's checkpoint. The state after commit K is a function of the commit sequence up to K, the same on
 * every honest validator, and the commit log keeps what it needs even when certificates are pruned
 * ({@link CommitLogCodec#stateAfter}): start from our newest checkpoint at or below K (else from the
 * initial state) and fold the stored commits up to K. Blocking; run it off the event loop.
 */
final class StateAttestor {
    private static final Logger LOG = Logger.getLogger(StateAttestor.class);
    private static final Duration T = Duration.ofMinutes(2);
    private static final int PAGE = 1_000;
    /**
     * Most commits folded for one answer. A joiner asks about a recent peer checkpoint, so the fold
     * starts from one of our own kept checkpoints and is short; this bounds what a Byzantine peer
     * asking about an index far below them can make us read.
     */
    static final long MAX_FOLD = 1_000_000;

    private final SequencerStore store;
    private final long epoch;
    private final int committeeSize;
    private final ConsensusConfig config;
    private final long maxCheckpointBytes;
    private final int transactionWindow;
    /** The last window derived: a joiner pages through one window, so each page is served from here. */
    private WindowSnapshot lastWindow;

    StateAttestor(SequencerStore store, long epoch, int committeeSize, ConsensusConfig config, long maxCheckpointBytes,
                  int transactionWindow) {
        this.store = store;
        this.transactionWindow = transactionWindow;
        this.epoch = epoch;
        this.committeeSize = committeeSize;
        this.config = config;
        this.maxCheckpointBytes = maxCheckpointBytes;
    }

    /**
     * What we vouch for after commit {@code index}: the digest of our consensus state and our
     * transaction window then ({@link WindowSnapshot#vouchedDigest}); empty when our log does not
     * reach it or lacks part of it.
     */
    Optional<Digest> digestAt(long index) {
        Optional<WindowSnapshot> window = windowAt(index);
        if (window.isEmpty()) return Optional.empty();
        return stateDigestAt(index).map(state -> window.get().vouchedDigest(state));
    }

    /** Our transaction window right after commit {@code index}; empty when our rows do not cover it (yet). */
    synchronized Optional<WindowSnapshot> windowAt(long index) {
        if (lastWindow != null && lastWindow.commitIndex() == index) return Optional.of(lastWindow);
        Optional<WindowSnapshot> w = WindowSnapshot.of(store.commitTransactionsTail(index, transactionWindow).await().atMost(T),
                index, transactionWindow);
        w.ifPresent(x -> lastWindow = x);
        return w;
    }

    private Optional<Digest> stateDigestAt(long index) {
        if (store.lastCommitIndex().await().atMost(T) < index) return Optional.empty();
        ConsensusState state = startingPoint(index);
        if (index - state.lastCommitIndex() > MAX_FOLD) {
            LOG.warnf("Not vouching for commit %d: %d commits after our nearest checkpoint below it (more than %d)",
                    index, index - state.lastCommitIndex(), MAX_FOLD);
            return Optional.empty();
        }
        long next = state.lastCommitIndex() + 1;
        while (next <= index) {
            List<CommitRecord> page = store.commits(next, (int) Math.min(PAGE, index - next + 1)).await().atMost(T);
            if (page.isEmpty()) return Optional.empty();
            for (CommitRecord r : page) {
                if (r.index() != next) return Optional.empty(); // our own log starts above (we joined later)
                state = CommitLogCodec.stateAfter(state, r, config);
                if (++next > index) break;
            }
        }
        return Optional.of(state.digest());
    }

    private ConsensusState startingPoint(long index) {
        Optional<CheckpointRecord> latest = store.latestCheckpointUpTo(index).await().atMost(T);
        if (latest.isPresent()) {
            try {
                CheckpointBody body = CheckpointCodec.open(latest.get(), maxCheckpointBytes);
                if (body.epoch() == epoch && body.state().lastCommittedRounds().size() == committeeSize) return body.state();
            } catch (CheckpointException e) {
                LOG.warnf("Our latest checkpoint (round %d) cannot be opened (%s); deriving the state from the whole commit log",
                        latest.get().round(), e.getMessage());
            }
        }
        return ConsensusState.initial(committeeSize, config);
    }
}
