package dev.shoal.sequencer.core.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.sequencer.core.codec.CanonicalWriter;
import dev.shoal.sequencer.core.codec.Codec;
import dev.shoal.sequencer.core.codec.CodecException;
import dev.shoal.sequencer.core.dag.DagBuilder;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Canonical encodings of the consensus outputs and state. */
class ConsensusCodecTest {
    private final Committee committee = DagBuilder.committee(4);

    private Node runNode() {
        Node node = new Node(committee, ConsensusConfig.DEFAULT.withReputationUpdatePeriod(3));
        node.deliverAll(new DagBuilder(committee).fullRounds(1, 12).certificates());
        return node;
    }

    @Test
    void committedSubDagRoundTrips() {
        Node node = runNode();
        for (CommittedSubDag s : node.commits) {
            byte[] bytes = s.toBytes();
            CommittedSubDag back = Codec.decode(bytes, CommittedSubDag::decode);
            assertThat(back).isEqualTo(s);
            assertThat(back.toBytes()).isEqualTo(bytes);
            assertThat(back.digests()).isEqualTo(s.certificates().stream().map(Certificate::digest).toList());
        }
    }

    @Test
    void consensusStateRoundTripsAndRejectsTrailingBytes() {
        ConsensusState state = runNode().consensus.state();
        assertThat(state.lastCommitIndex()).isEqualTo(11);
        assertThat(state.reputation().updates()).isEqualTo(3);
        byte[] bytes = state.toBytes();
        ConsensusState back = Codec.decode(bytes, ConsensusState::decode);
        assertThat(back).isEqualTo(state);
        assertThat(back.toBytes()).isEqualTo(bytes);
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> Codec.decode(longer, ConsensusState::decode)).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> Codec.decode(Arrays.copyOf(bytes, bytes.length - 3), ConsensusState::decode))
                .isInstanceOf(CodecException.class);
    }

    @Test
    void reputationStateRoundTrips() {
        ReputationState r = runNode().consensus.reputation();
        assertThat(Codec.decode(r.toBytes(), ReputationState::decode)).isEqualTo(r);
    }

    @Test
    void subDagDecodeRejectsCertificatesOutOfOrder() {
        DagBuilder b = new DagBuilder(committee).fullRounds(1, 2);
        CanonicalWriter w = new CanonicalWriter();
        w.u64(1);
        w.list(List.of(b.get("B1"), b.get("A1"), b.get("A2")), (out, c) -> c.encode(out));
        w.u64(0).u64(0).u64(0); // no voters, no skipped anchors, no batches
        assertThatThrownBy(() -> Codec.decode(w.toByteArray(), CommittedSubDag::decode))
                .isInstanceOf(CodecException.class).hasMessageContaining("not ordered");
    }

    @Test
    void subDagDecodeRejectsIndexZero() {
        DagBuilder b = new DagBuilder(committee).fullRounds(1, 1);
        CanonicalWriter w = new CanonicalWriter();
        w.u64(0);
        w.list(List.of(b.get("A1")), (out, c) -> c.encode(out));
        w.u64(0).u64(0).u64(0); // no voters, no skipped anchors, no batches
        assertThatThrownBy(() -> Codec.decode(w.toByteArray(), CommittedSubDag::decode)).isInstanceOf(CodecException.class);
    }

    @Test
    void restoreRejectsAStateOfAnotherCommitteeSize() {
        ConsensusState state = runNode().consensus.state();
        Committee other = DagBuilder.committee(5);
        assertThatThrownBy(() -> Consensus.restore(other, new dev.shoal.sequencer.core.dag.Dag(other, 50),
                ConsensusConfig.DEFAULT, state)).isInstanceOf(IllegalArgumentException.class);
    }
}
