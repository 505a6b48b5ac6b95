package dev.shoal.sequencer.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.sequencer.checkpoint.CheckpointBody;
import dev.shoal.sequencer.checkpoint.CheckpointCodec;
import dev.shoal.sequencer.checkpoint.CompressionCodec;
import dev.shoal.sequencer.core.consensus.ConsensusConfig;
import dev.shoal.sequencer.core.consensus.ConsensusState;
import dev.shoal.sequencer.core.crypto.KeyPair;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.core.types.Signature;
import dev.shoal.sequencer.core.types.SignerBitmap;
import dev.shoal.sequencer.core.types.Validator;
import dev.shoal.sequencer.net.PeerMessage;
import dev.shoal.sequencer.output.WindowSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The joining side against scripted peers (real Ed25519 keys, real checkpoint frames): which offer is
 * chosen, that a forged state or a forged certificate is never installed, and when a validator syncs
 * from genesis instead.
 */
class CheckpointJoinTest {
    private static final long GC_DEPTH = 4;
    /** Transactions in the exactly-once window: smaller than a peer's whole output, so windows are cut. */
    private static final int WINDOW = 7;
    private static final ConsensusConfig CONFIG = ConsensusConfig.DEFAULT.withGcDepth(GC_DEPTH);
    private static final int SELF = 3;

    private final Random random = new Random(7);
    private final KeyPair[] keys = new KeyPair[4];
    private final Committee committee;

    CheckpointJoinTest() {
        List<Validator> members = new ArrayList<>();
        List<KeyPair> generated = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            KeyPair k = KeyPair.deterministic(random);
            generated.add(k);
            members.add(new Validator("v" + i, k.publicKey(), 1, ""));
        }
        committee = new Committee(0, members);
        for (KeyPair k : generated) keys[committee.indexOf(k.publicKey()).getAsInt()] = k;
    }

    /** The state after {@code commits} commits of anchors in rounds 2, 4, ... by validator 0. */
    private ConsensusState state(int commits) {
        ConsensusState s = ConsensusState.initial(4, CONFIG);
        for (int i = 1; i <= commits; i++) {
            long r = 2L * i;
            s = s.afterCommit(i, r, 0, List.of(r, r - 1, r - 1, r - 1), List.of(1, 2), List.of(), List.of(), CONFIG);
        }
        return s;
    }

    private Certificate certificate(int author, long round, List<Digest> parents, boolean forged) {
        Header h = Header.of(0, round, author, round, List.of(), parents);
        List<Signature> sigs = new ArrayList<>();
        for (int s = 0; s < 3; s++) sigs.add(keys[forged && s == 2 ? 0 : s].sign(h.voteMessage()));
        return new Certificate(h, SignerBitmap.of(List.of(0, 1, 2)), sigs);
    }

    private byte[] frame(ConsensusState state, boolean forgedCertificate) {
        return frame(state, forgedCertificate, false);
    }

    /**
     * A checkpoint frame holding {@code state} and a window of the rounds from its GC round up, each
     * certificate linking to the three of the round before (above the GC round).
     */
    private byte[] frame(ConsensusState state, boolean forgedCertificate, boolean hole) {
        long top = state.lastAnchorRound() + 1;
        long gc = Math.max(1, state.lastAnchorRound() - GC_DEPTH);
        List<Certificate> window = new ArrayList<>();
        List<Digest> previous = List.of(Digest.sha256(new byte[] {1}), Digest.sha256(new byte[] {2}), Digest.sha256(new byte[] {3}));
        for (long r = gc; r <= top; r++) {
            List<Digest> current = new ArrayList<>();
            for (int a = 0; a < 3; a++) {
                Certificate c = certificate(a, r, previous, forgedCertificate && r == top && a == 1);
                current.add(c.digest());
                if (!(hole && r == gc + 1 && a == 2)) window.add(c);
            }
            previous = current;
        }
        CheckpointBody body = new CheckpointBody(0, top, state, window);
        return CheckpointCodec.seal(body, GC_DEPTH, CompressionCodec.byLabel("deflate"), Instant.now()).payload();
    }

    /** Peers that answer from scripted offers and vouch with their own state at the asked index. */
    private final class Peers {
        final Map<Integer, PeerMessage.CheckpointOffer> offers = new HashMap<>();
        final Map<Integer, Function<Long, Optional<Digest>>> states = new HashMap<>();
        final List<Long> vouchesAsked = new ArrayList<>();
        /** Each peer's transaction window after a commit: the honest one unless a test forges it. */
        BiFunction<Integer, Long, WindowSnapshot> windows = (peer, k) -> window(k, false);
        boolean answersTwice;
        CheckpointJoin join;

        CheckpointJoin join(JoinPolicy policy, Duration timeout) {
            join = new CheckpointJoin(committee, SELF, policy, timeout, GC_DEPTH, 64 << 20, WINDOW, (peer, message) -> {
                if (message instanceof PeerMessage.CheckpointRequest && offers.containsKey(peer)) {
                    join.offered(peer, offers.get(peer));
                } else if (message instanceof PeerMessage.StateRequest r && states.containsKey(peer)) {
                    vouchesAsked.add(r.commitIndex());
                    join.vouched(peer, new PeerMessage.StateVouch(r.commitIndex(),
                            states.get(peer).apply(r.commitIndex()).map(d -> windows.apply(peer, r.commitIndex()).vouchedDigest(d))));
                } else if (message instanceof PeerMessage.WindowRequest r) {
                    WindowSnapshot w = windows.apply(peer, r.commitIndex());
                    join.windowPage(peer, page(w, r.fromPosition()));
                    // A slow peer's answer to a request sent again: its first page once more, late.
                    if (answersTwice) join.windowPage(peer, page(w, 0));
                }
            });
            return join;
        }

        /** An honest peer at {@code commits} commits that prunes (lowest round 9), its latest checkpoint at {@code checkpoint} (0: none). */
        void honest(int peer, int commits, int checkpoint) {
            offers.put(peer, new PeerMessage.CheckpointOffer(9, 2L * commits + 1, checkpoint > 0 ? frame(state(checkpoint), false) : new byte[0]));
            states.put(peer, k -> k <= commits ? Optional.of(state((int) (long) k).digest()) : Optional.empty());
        }
    }

    /** The transaction window after commit k: commit i output two transactions; a forged one lists one more. */
    private static WindowSnapshot window(long k, boolean forged) {
        List<WindowSnapshot.Entry> all = new ArrayList<>();
        for (long i = 1; i <= k; i++) {
            for (int t = 0; t < (forged && i == k ? 3 : 2); t++) {
                all.add(new WindowSnapshot.Entry(i, Digest.sha256(("tx " + i + "/" + t).getBytes(StandardCharsets.UTF_8))));
            }
        }
        List<WindowSnapshot.Entry> kept = all.subList(Math.max(0, all.size() - WINDOW), all.size());
        return new WindowSnapshot(k, all.size(), kept);
    }

    /** Pages of three entries, as a peer with small frames sends them. */
    private static PeerMessage.WindowPage page(WindowSnapshot w, long from) {
        long first = Math.min(Math.max(from, w.firstPosition()), w.outputEnd() + 1);
        List<PeerMessage.WindowEntry> entries = new ArrayList<>();
        for (var e : w.entriesFrom(first, 3)) entries.add(new PeerMessage.WindowEntry(e.commitIndex(), e.digest()));
        return new PeerMessage.WindowPage(w.commitIndex(), true, w.outputEnd(), w.firstPosition(), first, entries);
    }

    private ConsensusState forgedState(int commits) {
        ConsensusState real = state(commits);
        List<Long> rounds = new ArrayList<>(real.lastCommittedRounds());
        rounds.set(2, rounds.get(2) + 1); // one ordered round more for validator 2: later commits would differ
        return new ConsensusState(real.lastCommitIndex(), real.lastAnchorRound(), rounds, real.recentAnchors(), real.reputation(),
                real.recentBatches());
    }

    @Test
    void installsTheHighestOfferWhoseStateFPlusOnePeersVouchFor() throws Exception {
        Peers peers = new Peers();
        peers.honest(0, 9, 0);
        peers.honest(1, 9, 8);
        peers.honest(2, 9, 7);
        Optional<CheckpointJoin.JoinPoint> point = peers.join(JoinPolicy.WHEN_PRUNED, Duration.ofSeconds(5)).run();
        assertThat(point).isPresent();
        OfferedCheckpoint chosen = point.get().checkpoint();
        assertThat(chosen.peer()).isEqualTo(1);
        assertThat(chosen.commitIndex()).isEqualTo(8);
        assertThat(chosen.record().commitIndex()).isEqualTo(8);
        assertThat(chosen.record().gcRound()).isEqualTo(16 - GC_DEPTH);
        assertThat(peers.vouchesAsked).containsOnly(8L); // the best offer was vouched for: no other was tried
        assertThat(point.get().window()).isEqualTo(window(8, false));
        assertThat(point.get().window().entries()).hasSize(WINDOW);
    }

    /** Pages answering requests sent again arrive late and out of turn: they are skipped, not taken for the next page. */
    @Test
    void lateCopiesOfEarlierWindowPagesAreIgnored() throws Exception {
        Peers peers = new Peers();
        peers.honest(0, 9, 0);
        peers.honest(1, 9, 8);
        peers.honest(2, 9, 7);
        peers.answersTwice = true;
        Optional<CheckpointJoin.JoinPoint> point = peers.join(JoinPolicy.WHEN_PRUNED, Duration.ofSeconds(5)).run();
        assertThat(point).isPresent();
        assertThat(point.get().checkpoint().peer()).isEqualTo(1);
        assertThat(point.get().window()).isEqualTo(window(8, false));
    }

    /** A peer that offers the best checkpoint but a window of its own making: the honest peers do not vouch for it. */
    @Test
    void aForgedTransactionWindowIsNeverInstalled() throws Exception {
        Peers peers = new Peers();
        peers.honest(0, 9, 0);
        peers.honest(1, 9, 8);
        peers.honest(2, 9, 7);
        peers.windows = (peer, k) -> window(k, peer == 1);
        Optional<CheckpointJoin.JoinPoint> point = peers.join(JoinPolicy.WHEN_PRUNED, Duration.ofMillis(1500)).run();
        assertThat(point).isPresent();
        assertThat(point.get().checkpoint().peer()).isEqualTo(2);
        assertThat(point.get().window()).isEqualTo(window(7, false));
    }

    @Test
    void aForgedStateIsNeverInstalledTheNextOfferIs() throws Exception {
        Peers peers = new Peers();
        peers.honest(0, 10, 0);
        peers.honest(2, 9, 9);
        // Peer 1 is Byzantine: the highest commit index with a state no honest peer has, and it vouches for it itself.
        ConsensusState forged = forgedState(10);
        peers.offers.put(1, new PeerMessage.CheckpointOffer(9, 21, frame(forged, false)));
        peers.states.put(1, k -> Optional.of(forged.digest()));
        Optional<CheckpointJoin.JoinPoint> point = peers.join(JoinPolicy.WHEN_PRUNED, Duration.ofMillis(1500)).run();
        assertThat(point).isPresent();
        OfferedCheckpoint chosen = point.get().checkpoint();
        assertThat(chosen.peer()).isEqualTo(2);
        assertThat(chosen.state().digest()).isEqualTo(state(9).digest()).isNotEqualTo(forged.digest());
    }

    /**
     * The peers keep a few checkpoints and prune below the oldest: by the time the joiner asks them to
     * vouch for the offer, they have moved on and no longer reach back to it. Fresh offers they can
     * vouch for are asked for, and the join goes on.
     */
    @Test
    void whenPeersNoLongerReachBackToTheOffersFreshOffersAreAsked() throws Exception {
        Peers peers = new Peers();
        peers.honest(1, 10, 8);
        PeerMessage.CheckpointOffer newer = new PeerMessage.CheckpointOffer(9, 21, frame(state(10), false));
        for (int p : new int[] {0, 2}) {
            peers.offers.put(p, new PeerMessage.CheckpointOffer(9, 21, new byte[0]));
            // Their oldest kept checkpoint is at commit 9: they cannot derive the state at 8.
            peers.states.put(p, k -> {
                if (k >= 9 && k <= 10) return Optional.of(state((int) (long) k).digest());
                peers.offers.put(1, newer); // meanwhile peer 1 took a newer checkpoint too
                return Optional.empty();
            });
        }
        Optional<CheckpointJoin.JoinPoint> point = peers.join(JoinPolicy.WHEN_PRUNED, Duration.ofMillis(1500)).run();
        assertThat(point).isPresent();
        assertThat(point.get().checkpoint().commitIndex()).isEqualTo(10);
        assertThat(peers.vouchesAsked).contains(8L, 10L);
    }

    @Test
    void anOfferWithAForgedCertificateIsSkipped() throws Exception {
        Peers peers = new Peers();
        peers.honest(0, 5, 0);
        peers.honest(2, 5, 5);
        peers.offers.put(1, new PeerMessage.CheckpointOffer(9, 13, frame(state(6), true)));
        peers.states.put(1, k -> Optional.of(state((int) (long) k).digest()));
        Optional<CheckpointJoin.JoinPoint> point = peers.join(JoinPolicy.WHEN_PRUNED, Duration.ofSeconds(5)).run();
        assertThat(point).isPresent();
        OfferedCheckpoint chosen = point.get().checkpoint();
        assertThat(chosen.peer()).isEqualTo(2);
    }

    @Test
    void aWindowWithAHoleIsSkipped() throws Exception {
        Peers peers = new Peers();
        peers.honest(0, 6, 0);
        peers.honest(2, 6, 5);
        // Peer 1 leaves one certificate out of its window (a restored DAG could not hold its children).
        peers.offers.put(1, new PeerMessage.CheckpointOffer(9, 13, frame(state(6), false, true)));
        peers.states.put(1, k -> Optional.of(state((int) (long) k).digest()));
        Optional<CheckpointJoin.JoinPoint> point = peers.join(JoinPolicy.WHEN_PRUNED, Duration.ofSeconds(5)).run();
        assertThat(point).isPresent();
        OfferedCheckpoint chosen = point.get().checkpoint();
        assertThat(chosen.peer()).isEqualTo(2);
        assertThat(chosen.commitIndex()).isEqualTo(5);
    }

    @Test
    void corruptFramesAndStrangersAreNotUsed() throws Exception {
        Peers peers = new Peers();
        peers.honest(0, 5, 0);
        byte[] corrupt = frame(state(6), false);
        corrupt[corrupt.length - 1] ^= 1;
        peers.offers.put(1, new PeerMessage.CheckpointOffer(9, 13, corrupt));
        peers.offers.put(2, new PeerMessage.CheckpointOffer(9, 13, "not a checkpoint".getBytes()));
        assertThatThrownBy(() -> peers.join(JoinPolicy.WHEN_PRUNED, Duration.ofMillis(300)).run())
                .isInstanceOf(CheckpointJoin.JoinFailedException.class).hasMessageContaining("0 of 2 offers opened");
    }

    @Test
    void withoutEnoughVouchesTheJoinFailsWithAReason() {
        Peers peers = new Peers();
        peers.honest(2, 5, 5);
        peers.offers.put(0, new PeerMessage.CheckpointOffer(9, 11, new byte[0]));
        peers.offers.put(1, new PeerMessage.CheckpointOffer(9, 11, new byte[0]));
        peers.states.put(0, k -> Optional.empty()); // not there yet, or its own log starts above
        assertThatThrownBy(() -> peers.join(JoinPolicy.WHEN_PRUNED, Duration.ofMillis(400)).run())
                .isInstanceOf(CheckpointJoin.JoinFailedException.class).hasMessageContaining("f+1 peers to vouch");
    }

    @Test
    void peersThatHoldTheHistorySendTheJoinerToGenesis() throws Exception {
        Peers peers = new Peers();
        peers.honest(0, 5, 5);
        peers.honest(1, 5, 5);
        peers.honest(2, 5, 5);
        for (int p : new int[] {0, 1}) {
            var o = peers.offers.get(p);
            peers.offers.put(p, new PeerMessage.CheckpointOffer(1, o.highestRound(), o.checkpoint()));
        }
        assertThat(peers.join(JoinPolicy.WHEN_PRUNED, Duration.ofSeconds(5)).run()).isEmpty();
        // One Byzantine peer claiming full history is not enough to keep a joiner from checkpoints.
        peers.offers.put(1, new PeerMessage.CheckpointOffer(9, 11, peers.offers.get(1).checkpoint()));
        assertThat(peers.join(JoinPolicy.WHEN_PRUNED, Duration.ofSeconds(5)).run()).isPresent();
        // ALWAYS uses a checkpoint even when the history is there; NEVER asks nobody.
        peers.offers.put(1, new PeerMessage.CheckpointOffer(1, 11, peers.offers.get(1).checkpoint()));
        assertThat(peers.join(JoinPolicy.ALWAYS, Duration.ofSeconds(5)).run()).isPresent();
        peers.vouchesAsked.clear();
        assertThat(peers.join(JoinPolicy.NEVER, Duration.ofSeconds(5)).run()).isEmpty();
        assertThat(peers.vouchesAsked).isEmpty();
    }

    @Test
    void aFreshCommitteeStartsFromGenesisAsSoonAsAQuorumAnswered() throws Exception {
        Peers peers = new Peers();
        peers.offers.put(0, new PeerMessage.CheckpointOffer(0, 0, new byte[0]));
        peers.offers.put(1, new PeerMessage.CheckpointOffer(0, 0, new byte[0]));
        long t0 = System.nanoTime();
        assertThat(peers.join(JoinPolicy.WHEN_PRUNED, Duration.ofSeconds(30)).run()).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10)); // not the 30 s timeout
        // Nobody answering at all: the timeout, then genesis.
        assertThat(new Peers().join(JoinPolicy.WHEN_PRUNED, Duration.ofMillis(200)).run()).isEmpty();
    }

    @Test
    void policyParsesItsThreeSpellingsAndRefusesOthers() {
        assertThat(JoinPolicy.parse("when-pruned")).isEqualTo(JoinPolicy.WHEN_PRUNED);
        assertThat(JoinPolicy.parse(" ALWAYS ")).isEqualTo(JoinPolicy.ALWAYS);
        assertThat(JoinPolicy.parse("never")).isEqualTo(JoinPolicy.NEVER);
        assertThatThrownBy(() -> JoinPolicy.parse("sometimes")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("when-pruned, always or never");
    }
}
