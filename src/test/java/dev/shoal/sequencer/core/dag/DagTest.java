package dev.shoal.sequencer.core.dag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.sequencer.core.crypto.KeyPair;
import dev.shoal.sequencer.core.dag.InsertOutcome.Status;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.core.types.Signature;
import dev.shoal.sequencer.core.types.SignerBitmap;
import dev.shoal.sequencer.core.types.Validator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Structural rules of the DAG: one rule per test, on hand-built DAGs. */
class DagTest {
    private final Committee committee = DagBuilder.committee(4);

    @Test
    void genesisIsPresentFromTheStart() {
        Dag dag = new Dag(committee, 10);
        assertThat(dag.round(0)).containsExactlyElementsOf(committee.genesis());
        assertThat(dag.highestRound()).isZero();
        assertThat(dag.insert(committee.genesis().get(2)).status()).isEqualTo(Status.DUPLICATE);
    }

    @Test
    void insertsAFullyConnectedRoundAndLooksItUp() {
        DagBuilder b = new DagBuilder(committee).parse("Round 1: D, B, A, C");
        Dag dag = b.dag(10);
        assertThat(dag.round(1)).extracting(Certificate::author).containsExactly(0, 1, 2, 3);
        assertThat(dag.get(b.get("C1").digest())).contains(b.get("C1"));
        assertThat(dag.get(2, 1)).contains(b.get("C1"));
        assertThat(dag.get(2, 2)).isEmpty();
        assertThat(dag.contains(b.get("A1").digest())).isTrue();
        assertThat(dag.highestRound()).isEqualTo(1);
        assertThat(dag.size()).isEqualTo(8);
    }

    @Test
    void duplicateIsANoOp() {
        DagBuilder b = new DagBuilder(committee).parse("Round 1: A, B, C, D");
        Dag dag = b.dag(10);
        InsertOutcome again = dag.insert(b.get("A1"));
        assertThat(again.status()).isEqualTo(Status.DUPLICATE);
        assertThat(again.inserted()).isEmpty();
        assertThat(dag.size()).isEqualTo(8);
    }

    @Test
    void rejectsUnknownAuthorAndWrongEpoch() {
        Dag dag = new Dag(committee, 10);
        List<Digest> genesis = committee.genesis().stream().map(Certificate::digest).toList();
        Certificate stranger = unsigned(new Header(0, 1, 7, 0, List.of(), sorted(genesis)));
        assertThat(dag.insert(stranger).rejection().reason()).isEqualTo(InsertRejection.UNKNOWN_AUTHOR);
        Certificate otherEpoch = unsigned(new Header(3, 1, 0, 0, List.of(), sorted(genesis)));
        assertThat(dag.insert(otherEpoch).rejection().reason()).isEqualTo(InsertRejection.WRONG_EPOCH);
    }

    @Test
    void rejectsARoundZeroCertificateThatIsNotGenesis() {
        Dag dag = new Dag(committee, 10);
        Certificate fake = unsigned(new Header(0, 0, 1, 5, List.of(), List.of()));
        assertThat(dag.insert(fake).rejection().reason()).isEqualTo(InsertRejection.INVALID_GENESIS);
    }

    @Test
    void rejectsParentsBelowTheQuorum() {
        DagBuilder b = new DagBuilder(committee).parse("Round 1: A, B, C, D");
        Dag dag = b.dag(10);
        // 2 of 4 unit stakes: quorum is 3.
        Certificate weak = b.build(2, 0, sorted(List.of(b.get("A1").digest(), b.get("B1").digest())), 99);
        InsertOutcome o = dag.insert(weak);
        assertThat(o.rejection().reason()).isEqualTo(InsertRejection.PARENT_QUORUM);
        assertThat(dag.contains(weak.digest())).isFalse();
    }

    @Test
    void rejectsParentsFromAnotherRound() {
        DagBuilder b = new DagBuilder(committee).parse("Rounds 1..2: *");
        Dag dag = b.dag(10);
        List<Digest> mixed = sorted(List.of(b.get("A2").digest(), b.get("B2").digest(), b.get("C1").digest()));
        Certificate bad = b.build(3, 0, mixed, 77);
        assertThat(dag.insert(bad).rejection().reason()).isEqualTo(InsertRejection.PARENT_WRONG_ROUND);
    }

    @Test
    void rejectsEmptyParentsAboveRoundZero() {
        Dag dag = new Dag(committee, 10);
        Certificate orphan = unsigned(new Header(0, 1, 0, 0, List.of(), List.of()));
        assertThat(dag.insert(orphan).rejection().reason()).isEqualTo(InsertRejection.MALFORMED_PARENTS);
    }

    @Test
    void equivocationIsRejectedAndReportsTheHeldCertificate() {
        DagBuilder b = new DagBuilder(committee).parse("Round 1: A, B, C, D");
        Dag dag = b.dag(10);
        Certificate twin = b.equivocation(1, 2, "[-A0]");
        InsertOutcome o = dag.insert(twin);
        assertThat(o.isEquivocation()).isTrue();
        assertThat(o.rejection().existing()).isEqualTo(b.get("C1"));
        assertThat(dag.get(2, 1)).contains(b.get("C1"));
    }

    @Test
    void equivocationAgainstAPendingCertificateIsRejected() {
        DagBuilder b = new DagBuilder(committee).parse("Rounds 1..2: *");
        Dag dag = new Dag(committee, 10);
        // C2 waits for round 1; a different C2 arriving meanwhile is an equivocation.
        assertThat(dag.insert(b.get("C2")).status()).isEqualTo(Status.PENDING);
        Certificate twin = b.equivocation(2, 2, "*");
        InsertOutcome o = dag.insert(twin);
        assertThat(o.isEquivocation()).isTrue();
        assertThat(o.rejection().existing()).isEqualTo(b.get("C2"));
    }

    @Test
    void missingParentsWaitAndEnterInCausalOrder() {
        DagBuilder b = new DagBuilder(committee).parse("Rounds 1..3: *");
        Dag dag = new Dag(committee, 10);
        InsertOutcome a3 = dag.insert(b.get("A3"));
        assertThat(a3.status()).isEqualTo(Status.PENDING);
        assertThat(a3.missingParents()).containsExactlyInAnyOrderElementsOf(b.get("A3").parents());
        assertThat(a3.toString()).startsWith("pending (missing parents: ");
        for (String n : List.of("A2", "B2", "C2", "D2")) assertThat(dag.insert(b.get(n)).status()).isEqualTo(Status.PENDING);
        for (String n : List.of("B1", "C1", "D1")) {
            InsertOutcome o = dag.insert(b.get(n));
            assertThat(o.inserted()).containsExactly(b.get(n));
        }
        assertThat(dag.pendingCount()).isEqualTo(5);
        assertThat(dag.wantedParents()).containsExactly(b.get("A1").digest());
        InsertOutcome last = dag.insert(b.get("A1"));
        assertThat(last.inserted()).containsExactly(b.get("A1"), b.get("A2"), b.get("B2"), b.get("C2"), b.get("D2"), b.get("A3"));
        assertThat(dag.pendingCount()).isZero();
        assertThat(dag.wantedParents()).isEmpty();
        assertThat(dag.round(3)).containsExactly(b.get("A3"));
    }

    @Test
    void aHoleBelowTheTopIsReportedAsTheLowestWantedRound() {
        // B2 never arrived; the DAG grows past it on rounds that do not need it, so its highest round
        // says nothing about the hole: only the lowest wanted round shows where a sync must start.
        DagBuilder b = new DagBuilder(committee).parse("""
                Rounds 1..1: *
                Round 2: A, B, C, D
                Round 3: A -> [A2, C2, D2], B -> [A2, C2, D2], C -> [A2, C2, D2], D -> [A2, B2, C2]
                Round 4: A -> [A3, B3, C3], B -> [A3, B3, C3], C -> [A3, B3, C3]
                Round 5: A -> [A4, B4, C4], B -> [A4, B4, C4], C -> [A4, B4, C4]
                """);
        Dag dag = new Dag(committee, 10);
        assertThat(dag.lowestWantedRound()).isEqualTo(-1);
        for (Certificate c : b.certificates()) if (!c.equals(b.get("B2"))) dag.insert(c);
        assertThat(dag.highestRound()).isEqualTo(5);
        assertThat(dag.lowestWantedRound()).isEqualTo(2);
        dag.insert(b.get("B2"));
        assertThat(dag.lowestWantedRound()).isEqualTo(-1);
        assertThat(dag.round(3)).hasSize(4);
    }

    @Test
    void pendingCertificateFailingItsChecksOnReleaseIsDropped() {
        DagBuilder b = new DagBuilder(committee).parse("Rounds 1..2: *");
        // Parents: A1, B1 and C2 (wrong round), C2 unknown so far.
        Certificate bad = b.build(2, 3, sorted(List.of(b.get("A1").digest(), b.get("B1").digest(), b.get("C2").digest())), 55);
        Dag dag = new Dag(committee, 10);
        for (String n : List.of("A1", "B1", "C1", "D1")) dag.insert(b.get(n));
        InsertOutcome waiting = dag.insert(bad);
        assertThat(waiting.status()).isEqualTo(Status.PENDING);
        InsertOutcome release = dag.insert(b.get("C2"));
        assertThat(release.inserted()).containsExactly(b.get("C2"));
        assertThat(release.droppedPending()).singleElement()
                .satisfies(r -> assertThat(r.reason()).isEqualTo(InsertRejection.PARENT_WRONG_ROUND));
        assertThat(dag.pendingCount()).isZero();
    }

    @Test
    void pendingSetIsBounded() {
        DagBuilder b = new DagBuilder(committee).parse("Rounds 1..2: *");
        Dag dag = new Dag(committee, 10, 2);
        assertThat(dag.insert(b.get("A2")).status()).isEqualTo(Status.PENDING);
        assertThat(dag.insert(b.get("B2")).status()).isEqualTo(Status.PENDING);
        InsertOutcome full = dag.insert(b.get("C2"));
        assertThat(full.rejection().reason()).isEqualTo(InsertRejection.PENDING_FULL);
        assertThat(dag.isPending(b.get("C2").digest())).isFalse();
    }

    @Test
    void missingParentsQuery() {
        DagBuilder b = new DagBuilder(committee).parse("Rounds 1..2: *");
        Dag dag = new Dag(committee, 10);
        dag.insert(b.get("A1"));
        dag.insert(b.get("B1"));
        assertThat(dag.missingParents(b.get("A2"))).containsExactlyInAnyOrder(b.get("C1").digest(), b.get("D1").digest());
    }

    @Test
    void pathQueriesFollowParentLinksOnly() {
        DagBuilder b = new DagBuilder(committee).parse("""
                Round 1: A, B, C, D
                Round 2: A -> [-D1], B -> [-D1], C -> [-D1], D -> [-A1]
                Round 3: A -> [-D2], B -> [-D2], C -> [-D2]
                """);
        Dag dag = b.dag(10);
        assertThat(dag.hasPath(b.get("A3"), b.get("A1"))).isTrue();
        assertThat(dag.hasPath(b.get("A3"), b.get("D1"))).isFalse();
        assertThat(dag.hasPath(b.get("D2"), b.get("D1"))).isTrue();
        assertThat(dag.hasPath(b.get("A3"), b.get("A3"))).isTrue();
        assertThat(dag.hasPath(b.get("A1"), b.get("A3"))).isFalse();
        assertThat(dag.hasPath(b.get("A3"), committee.genesis().get(3))).isTrue();
    }

    @Test
    void supportStakeCountsNextRoundChildren() {
        DagBuilder b = new DagBuilder(committee).parse("""
                Round 1: A, B, C, D
                Round 2: A, B -> [-C1], C -> [-C1], D -> [-C1]
                """);
        Dag dag = b.dag(10);
        assertThat(dag.supportStake(dag.vertex(b.get("C1").digest()))).isEqualTo(1);
        assertThat(dag.supportStake(dag.vertex(b.get("A1").digest()))).isEqualTo(4);
        assertThat(dag.supportStake(dag.vertex(b.get("A2").digest()))).isZero();
    }

    @Test
    void gcDropsOldRoundsAndIgnoresLateArrivals() {
        DagBuilder b = new DagBuilder(committee).fullRounds(1, 10);
        Dag dag = b.dag(3);
        assertThat(dag.gc(8)).isEmpty();
        assertThat(dag.gcRound()).isEqualTo(5);
        assertThat(dag.round(4)).isEmpty();
        assertThat(dag.round(5)).hasSize(4);
        assertThat(dag.contains(b.get("A4").digest())).isFalse();
        assertThat(dag.size()).isEqualTo(24);
        assertThat(dag.insert(b.get("A4")).status()).isEqualTo(Status.BELOW_GC);
        // GC never moves backwards.
        dag.gc(2);
        assertThat(dag.gcRound()).isEqualTo(5);
        assertThat(dag.hasPath(b.get("A10"), b.get("B5"))).isTrue();
    }

    @Test
    void aCertificateOfTheGcRoundEntersWithoutItsParents() {
        DagBuilder b = new DagBuilder(committee).fullRounds(1, 6);
        Dag dag = new Dag(committee, 2);
        dag.gc(6); // gc round 4, as after restoring a checkpoint
        assertThat(dag.insert(b.get("A3")).status()).isEqualTo(Status.BELOW_GC);
        assertThat(dag.insert(b.get("A4")).status()).isEqualTo(Status.INSERTED);
        assertThat(dag.insert(b.get("B5")).status()).isEqualTo(Status.PENDING);
    }

    @Test
    void gcReleasesPendingCertificatesWhoseMissingParentsFellBelowIt() {
        DagBuilder b = new DagBuilder(committee).fullRounds(1, 4);
        Dag dag = new Dag(committee, 2);
        for (String n : List.of("A1", "B1", "C1", "D1", "A2", "B2", "C2")) dag.insert(b.get(n));
        // A3 waits for D2, and A4 for the rest of round 3.
        assertThat(dag.insert(b.get("A3")).status()).isEqualTo(Status.PENDING);
        assertThat(dag.insert(b.get("B3")).status()).isEqualTo(Status.PENDING);
        assertThat(dag.insert(b.get("A1")).status()).isEqualTo(Status.DUPLICATE);
        List<Certificate> released = dag.gc(5); // gc round 3: round-2 parents no longer needed
        assertThat(released).containsExactly(b.get("A3"), b.get("B3"));
        assertThat(dag.pendingCount()).isZero();
        assertThat(dag.insert(b.get("D2")).status()).isEqualTo(Status.BELOW_GC);
    }

    @Test
    void gcDropsPendingCertificatesBelowIt() {
        DagBuilder b = new DagBuilder(committee).fullRounds(1, 3);
        Dag dag = new Dag(committee, 2);
        dag.insert(b.get("A2"));
        assertThat(dag.pendingCount()).isEqualTo(1);
        dag.gc(5);
        assertThat(dag.pendingCount()).isZero();
        assertThat(dag.wantedParents()).isEmpty();
    }

    @Test
    void stakeWeightedQuorum() {
        // Stakes 5,1,1,1: total 8, quorum 2*8/3+1 = 6. A alone is not enough; A with one other is.
        Committee weighted = DagBuilder.committee(5, 1, 1, 1);
        DagBuilder b = new DagBuilder(weighted).parse("Round 1: A, B, C, D");
        Dag dag = b.dag(10);
        Certificate aOnly = b.build(2, 1, List.of(b.get("A1").digest()), 1);
        assertThat(dag.insert(aOnly).rejection().reason()).isEqualTo(InsertRejection.PARENT_QUORUM);
        Certificate aAndB = b.build(2, 1, sorted(List.of(b.get("A1").digest(), b.get("B1").digest())), 2);
        assertThat(dag.insert(aAndB).isInserted()).isTrue();
    }

    @Test
    void signedCertificatesPassCommitteeCheckThenEnter() {
        Random random = new Random(42);
        List<KeyPair> keys = new ArrayList<>();
        List<Validator> vs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            KeyPair k = KeyPair.deterministic(random);
            keys.add(k);
            vs.add(new Validator("v" + i, k.publicKey(), 1, ""));
        }
        Committee signed = new Committee(0, vs);
        Dag dag = new Dag(signed, 10);
        List<Digest> parents = signed.genesis().stream().map(Certificate::digest).toList();
        for (int author = 0; author < 4; author++) {
            Header h = Header.of(0, 1, author, 1000, List.of(), parents);
            List<Signature> sigs = new ArrayList<>();
            List<Integer> signers = List.of(0, 1, 2);
            for (int s : signers) sigs.add(keyOf(signed, keys, s).sign(h.voteMessage()));
            Certificate c = new Certificate(h, SignerBitmap.of(signers), sigs);
            assertThat(signed.checkCertificate(c)).isEmpty();
            assertThat(dag.insert(c).inserted()).containsExactly(c);
        }
        // A forged signature fails the committee check, which the caller runs before insert.
        Header h = Header.of(0, 2, 0, 2000, List.of(), dag.round(1).stream().map(Certificate::digest).toList());
        List<Signature> sigs = List.of(keyOf(signed, keys, 0).sign(h.voteMessage()), keyOf(signed, keys, 1).sign(h.voteMessage()),
                keyOf(signed, keys, 1).sign(h.voteMessage()));
        Certificate forged = new Certificate(h, SignerBitmap.of(List.of(0, 1, 2)), sigs);
        assertThat(signed.checkCertificate(forged)).hasValueSatisfying(r -> assertThat(r).contains("invalid signature"));
    }

    private static KeyPair keyOf(Committee c, List<KeyPair> keys, int index) {
        return keys.stream().filter(k -> k.publicKey().equals(c.validator(index).publicKey())).findFirst().orElseThrow();
    }

    private static Certificate unsigned(Header h) {
        return new Certificate(h, SignerBitmap.EMPTY, List.of());
    }

    private static List<Digest> sorted(List<Digest> ds) {
        return ds.stream().sorted().toList();
    }
}
