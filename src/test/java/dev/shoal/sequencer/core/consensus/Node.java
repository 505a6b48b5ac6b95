package dev.shoal.sequencer.core.consensus;

import dev.shoal.sequencer.core.dag.Dag;
import dev.shoal.sequencer.core.dag.InsertOutcome;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** A test driver: a Dag and a Consensus fed the way the validator feeds them (public: tests of other packages use it too). */
public final class Node {
    final Committee committee;
    final ConsensusConfig config;
    public final Dag dag;
    public Consensus consensus;
    final List<CommittedSubDag> commits = new ArrayList<>();

    public Node(Committee committee, ConsensusConfig config) {
        this.committee = committee;
        this.config = config;
        this.dag = new Dag(committee, config.gcDepth());
        this.consensus = new Consensus(committee, dag, config);
    }

    private Node(Committee committee, ConsensusConfig config, Dag dag, Consensus consensus) {
        this.committee = committee;
        this.config = config;
        this.dag = dag;
        this.consensus = consensus;
    }

    /** Inserts a certificate, processes whatever entered, garbage-collects; returns the new commits. */
    public List<CommittedSubDag> deliver(Certificate c) {
        InsertOutcome o = dag.insert(c);
        List<CommittedSubDag> out = new ArrayList<>();
        List<Certificate> entered = new ArrayList<>(o.inserted());
        while (!entered.isEmpty()) {
            List<Certificate> released = new ArrayList<>();
            for (Certificate e : entered) {
                out.addAll(consensus.process(e));
                released.addAll(dag.gc(consensus.lastCommittedRound()));
            }
            entered = released;
        }
        commits.addAll(out);
        return out;
    }

    void deliverAll(List<Certificate> cs) {
        for (Certificate c : cs) deliver(c);
    }

    /** A new node restored from this one's state and DAG window, as recovery from a checkpoint does. */
    Node restoredCopy() {
        ConsensusState state = ConsensusState.decode(new dev.shoal.sequencer.core.codec.CanonicalReader(
                consensus.state().toBytes()));
        Dag fresh = new Dag(committee, config.gcDepth());
        long bound = Math.max(0, state.lastAnchorRound() - config.gcDepth());
        fresh.gc(state.lastAnchorRound());
        for (long r = Math.max(1, bound); r <= dag.highestRound(); r++) {
            for (Certificate c : dag.round(r)) {
                InsertOutcome o = fresh.insert(c);
                if (!o.isInserted()) throw new IllegalStateException("window certificate " + c + " did not enter: " + o);
            }
        }
        Node n = new Node(committee, config, fresh, Consensus.restore(committee, fresh, config, state));
        n.commits.addAll(commits);
        return n;
    }

    /** The canonical bytes of the whole commit sequence. */
    byte[] commitBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (CommittedSubDag s : commits) out.writeBytes(s.toBytes());
        return out.toByteArray();
    }

    List<Long> anchorRounds() {
        return commits.stream().map(CommittedSubDag::anchorRound).toList();
    }
}
