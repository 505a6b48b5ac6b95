package dev.shoal.sequencer.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.storage.StoreFixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A hostile header is dropped before it can make this validator fetch anything. */
class HeaderGateTest {
    private final StoreFixtures fx = new StoreFixtures(3);
    private long dagRound = 100;
    private final HeaderGate gate = new HeaderGate(fx.committee, 10, 100, () -> dagRound);
    private final List<Digest> parents = fx.committee.genesis().stream().map(Certificate::digest).toList();

    private Header header(int author, long round, int batches) {
        List<Digest> ds = new ArrayList<>();
        for (int i = 0; i < batches; i++) ds.add(Digest.sha256(new byte[] {(byte) i, (byte) (i >> 8), (byte) (i >> 16)}));
        return Header.of(fx.committee.epoch(), round, author, 1, ds, parents);
    }

    @Test
    void anHonestHeaderPasses() {
        assertThat(gate.admits(header(1, 101, 10), 1)).isTrue();
        assertThat(gate.admits(header(1, 200, 0), 1)).as("at the bound").isTrue();
    }

    @Test
    void aHeaderRelayedByAnotherPeerOrOfAnotherEpochOrOfGenesisIsDropped() {
        assertThat(gate.admits(header(1, 101, 1), 2)).isFalse();
        assertThat(gate.admits(Header.of(fx.committee.epoch() + 1, 101, 1, 1, List.of(), parents), 1)).isFalse();
        assertThat(gate.admits(header(1, 0, 0), 1)).isFalse();
        assertThat(gate.admits(header(9, 101, 0), 9)).as("not a member").isFalse();
    }

    @Test
    void aHeaderNamingMoreBatchesThanAnyHeaderMayIsDroppedBeforeItsDigestsAreFetched() {
        assertThat(gate.admits(header(1, 101, 11), 1)).isFalse();
        assertThat(gate.admits(header(1, 101, 100_000), 1)).isFalse();
    }

    @Test
    void aFarFutureHeaderIsDroppedUntilOurDagComesNear() {
        Header far = header(1, 1_000, 1);
        assertThat(gate.admits(far, 1)).isFalse();
        dagRound = 900;
        assertThat(gate.admits(far, 1)).isTrue();
    }
}
