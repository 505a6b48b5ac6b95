package dev.shoal.sequencer.peer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A flooding peer uses up its own share of the inbox, never another peer's. */
class InboxSharesTest {

    @Test
    void aFloodingPeerIsHeldToItsShareAndTheOthersKeepTheirs() {
        InboxShares shares = new InboxShares(4, 100);
        assertThat(shares.perPeer()).isEqualTo(25);
        int admitted = 0;
        for (int i = 0; i < 1_000; i++) if (shares.take(2)) admitted++;
        assertThat(admitted).isEqualTo(25);
        for (int peer : new int[] {0, 1, 3}) {
            for (int i = 0; i < 25; i++) assertThat(shares.take(peer)).as("peer %d event %d", peer, i).isTrue();
        }
        shares.release(2);
        assertThat(shares.take(2)).as("a processed event frees its place").isTrue();
        assertThat(shares.take(2)).isFalse();
        assertThat(shares.waiting(2)).isEqualTo(25);
    }
}
