package dev.shoal.sequencer.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.core.types.Signature;
import dev.shoal.sequencer.core.types.SignerBitmap;
import dev.shoal.sequencer.core.validator.Event;
import dev.shoal.sequencer.net.PeerMessage;
import dev.shoal.sequencer.storage.StoreFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Safety rule 8's probe: the safe round is learned only once the answering peers and this validator
 * hold 2f+1 stake, it is the highest round the answers prove, and an answer that does not prove its
 * round is ignored.
 */
class SafeRoundProbeTest {
    private final StoreFixtures fx = new StoreFixtures(3);
    private final List<Event> offered = new ArrayList<>();
    private final List<Integer> asked = new ArrayList<>();

    private SafeRoundProbe probe(int self) {
        return new SafeRoundProbe(fx.committee, self, (peer, message) -> {
            if (message instanceof PeerMessage.SafeRoundRequest) asked.add(peer);
        }, e -> offered.add(e));
    }

    private Certificate at(long round) {
        return fx.certificate(1, round, List.of(Digest.sha256(new byte[] {1})), List.of());
    }

    @Test
    void learnsTheHighestProvenRoundOnceAQuorumWithItselfAnswered() {
        try (SafeRoundProbe p = probe(0)) {
            p.answered(1, Optional.of(at(7)));
            assertThat(offered).as("us and one peer: 2 of 4, below 2f+1").isEmpty();
            p.answered(1, Optional.of(at(50)));
            assertThat(offered).as("a second answer of the same peer does not count twice").isEmpty();
            p.answered(2, Optional.of(at(9)));
            assertThat(offered).containsExactly(new Event.SafeRoundLearned(9));
            p.answered(3, Optional.of(at(40)));
            assertThat(offered).as("learned once").hasSize(1);
        }
    }

    @Test
    void anAnswerThatDoesNotProveItsRoundIsIgnored() {
        try (SafeRoundProbe p = probe(0)) {
            Certificate real = at(5);
            Header forgedHeader = Header.of(fx.committee.epoch(), 900, 2, 1, List.of(), real.header().parents());
            List<Signature> oneSigner = List.of(fx.keys.get(2).sign(forgedHeader.voteMessage()));
            p.answered(2, Optional.of(new Certificate(forgedHeader, SignerBitmap.of(List.of(2)), oneSigner)));
            p.answered(1, Optional.of(real));
            assertThat(offered).as("the forged answer is not counted").isEmpty();
            p.answered(3, Optional.empty());
            assertThat(offered).containsExactly(new Event.SafeRoundLearned(5));
        }
    }

    @Test
    void aCommitteeWithNothingCertifiedLearnsRoundZero() {
        try (SafeRoundProbe p = probe(3)) {
            p.answered(0, Optional.empty());
            p.answered(1, Optional.empty());
            assertThat(offered).containsExactly(new Event.SafeRoundLearned(0));
        }
    }
}
