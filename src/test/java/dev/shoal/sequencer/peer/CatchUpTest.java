package dev.shoal.sequencer.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.sequencer.peer.CatchUp.DagPosition;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which round range a validator asks for, driven tick by tick with a hand-set clock and DAG position. */
class CatchUpTest {
    private record Ask(int peer, long from, int maxRounds) {}

    private final List<Ask> asked = new ArrayList<>();
    private DagPosition position = new DagPosition(0, -1);
    private long now = 1_000;
    private final SyncSettings settings = SyncSettings.defaults(); // 20 rounds per response, lag 10, timeout 2 s
    private final CatchUp catchUp = new CatchUp(4, 0, () -> CompletableFuture.completedFuture(position),
            (peer, from, max) -> asked.add(new Ask(peer, from, max)), settings, () -> now,
            new SyncMetrics(new SimpleMeterRegistry()));

    @AfterEach
    void close() {
        catchUp.close();
    }

    @Test
    void aValidatorAtTheCommitteesRoundAsksNothing() {
        position = new DagPosition(100, -1);
        catchUp.observed(1, 105);
        catchUp.tick();
        assertThat(asked).isEmpty();
    }

    @Test
    void oneByzantinePeerClaimingAFarRoundStartsNoSync() {
        position = new DagPosition(100, -1);
        catchUp.observed(1, 1_000_000_000L);
        catchUp.observed(2, 101);
        catchUp.observed(3, 100);
        catchUp.tick();
        assertThat(asked).isEmpty();
    }

    @Test
    void aValidatorBehindAsksTheRoundsAboveItsDag() {
        position = new DagPosition(100, -1);
        catchUp.observed(2, 500);
        catchUp.observed(3, 500);
        catchUp.tick();
        assertThat(asked).containsExactly(new Ask(2, 101, 20));
        // Nothing new until half of the range entered the DAG ...
        position = new DagPosition(105, -1);
        catchUp.tick();
        assertThat(asked).hasSize(1);
        position = new DagPosition(111, -1);
        catchUp.tick();
        assertThat(asked).last().isEqualTo(new Ask(2, 112, 20));
    }

    @Test
    void aSilentPeerIsReplacedAfterTheRequestTimeout() {
        position = new DagPosition(100, -1);
        catchUp.observed(1, 500);
        catchUp.observed(2, 500);
        catchUp.tick();
        now += settings.requestTimeout().toMillis();
        catchUp.tick();
        assertThat(asked).extracting(Ask::peer).containsExactly(1, 2);
    }

    @Test
    void aHoleBelowTheTopIsAskedForFromItsRoundWhileBehind() {
        // The failure of a committee restarted with its history: one certificate of round 72 never
        // entered, everything above waits for it, peers no longer hold round 72 in memory. Asking from
        // the DAG's top + 1 returns only what already waits; the range must start at the hole.
        position = new DagPosition(80, 72);
        catchUp.observed(1, 3_416);
        catchUp.observed(3, 3_416);
        catchUp.tick();
        assertThat(asked).containsExactly(new Ask(1, 72, 20));
    }

    @Test
    void aHoleNobodyFillsIsAskedForOnceItOutlivesARequestTimeoutAlsoWhenNotBehind() {
        position = new DagPosition(100, 99);
        catchUp.observed(1, 101);
        catchUp.tick();
        assertThat(asked).as("a parent that arrives out of order is fetched by digest first").isEmpty();
        now += settings.requestTimeout().toMillis();
        catchUp.tick();
        assertThat(asked).containsExactly(new Ask(1, 99, 20));
        // Filled: the wanted round moves, and with no lag nothing more is asked.
        position = new DagPosition(102, -1);
        now += 10;
        catchUp.tick();
        assertThat(asked).hasSize(1);
    }

    @Test
    void aHoleThatMovesOnIsNotStuck() {
        catchUp.observed(1, 60);
        for (long r = 50; r < 60; r++) {
            position = new DagPosition(r, r);
            now += settings.requestTimeout().toMillis() / 2;
            catchUp.tick();
        }
        assertThat(asked).isEmpty();
    }

    @Test
    void whenAllButFPeersHavePrunedTheRoundsWeNeedItSaysSoUntilTheDagMovesPastThem() {
        List<String> told = new ArrayList<>();
        catchUp.onBlocked(told::add);
        position = new DagPosition(50, -1);
        catchUp.observed(1, 500);
        catchUp.observed(2, 500);
        catchUp.responded(1, 51, 500, 0);
        assertThat(told).as("one peer may be the only one that prunes").isEmpty();
        catchUp.responded(2, 51, 500, 0);
        assertThat(told).singleElement().asString().contains("no longer hold rounds from 51").contains("empty its database");
        catchUp.responded(3, 51, 500, 0);
        assertThat(told).hasSize(1);
        position = new DagPosition(60, -1); // a peer that keeps history sent them after all
        catchUp.tick();
        assertThat(told).hasSize(2).last().isNull();
    }
}
