package dev.shoal.sequencer.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.sequencer.core.consensus.CommittedSubDag;
import dev.shoal.sequencer.core.crypto.KeyPair;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.core.types.SignerBitmap;
import dev.shoal.sequencer.core.types.Validator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The simulator's safety checks catch what they claim to catch (so a clean sweep means something). */
class CommitCheckerTest {
    private final Committee committee;
    private final Map<Digest, Certificate> known = new HashMap<>();
    private final CommitChecker checker = new CommitChecker(20);
    // round 1: a0, a1, a2 on genesis; round 2: b0 on round 1; round 3: c1 on round 2 (b0 only, enough for this test)
    private final Certificate a0;
    private final Certificate a1;
    private final Certificate a2;
    private final Certificate b0;

    CommitCheckerTest() {
        Random r = new Random(3);
        List<Validator> vs = new ArrayList<>();
        for (int i = 0; i < 4; i++) vs.add(new Validator("v" + i, KeyPair.deterministic(r).publicKey(), 1, ""));
        committee = new Committee(0, vs);
        for (Certificate g : committee.genesis()) known.put(g.digest(), g);
        List<Digest> genesis = committee.genesis().stream().map(Certificate::digest).toList();
        a0 = cert(0, 1, genesis);
        a1 = cert(1, 1, genesis);
        a2 = cert(2, 1, genesis);
        b0 = cert(0, 2, List.of(a0.digest(), a1.digest(), a2.digest()));
    }

    /** Unsigned certificates: the checker looks at structure only. */
    private Certificate cert(int author, long round, List<Digest> parents) {
        Certificate c = new Certificate(Header.of(0, round, author, 0, List.of(), parents), SignerBitmap.EMPTY, List.of());
        known.put(c.digest(), c);
        return c;
    }

    private static CommittedSubDag sub(long index, Certificate... certs) {
        return new CommittedSubDag(index, List.of(certs), List.of(), List.of());
    }

    @Test
    void aCorrectSequencePasses() {
        List<CommittedSubDag> seq = List.of(sub(1, a0), sub(2, a1, a2, b0));
        assertThat(checker.checkNode(0, seq, known)).isEmpty();
        assertThat(checker.checkAgreement(0, seq, 1, seq.subList(0, 1))).isEmpty();
    }

    @Test
    void aGapInCommitIndexesIsReported() {
        assertThat(checker.checkNode(0, List.of(sub(1, a0), sub(3, a1)), known)).singleElement().asString().contains("gap");
        assertThat(checker.checkNode(0, List.of(sub(2, a0)), known)).singleElement().asString().contains("first commit index");
    }

    @Test
    void aCertificateCommittedTwiceIsReported() {
        assertThat(checker.checkNode(0, List.of(sub(1, a0), sub(2, a0, b0)), known))
                .singleElement().asString().contains("committed twice");
    }

    /** Two commits whose certificates (authors 0, then 1) list one batch; the second skips it. */
    private List<CommittedSubDag> batchListedByTwoAuthors(int secondAuthor) {
        Digest batch = Digest.sha256(new byte[] {9});
        List<Digest> genesis = committee.genesis().stream().map(Certificate::digest).toList();
        Certificate first = new Certificate(Header.of(0, 1, 0, 0, List.of(batch), genesis), SignerBitmap.EMPTY, List.of());
        Certificate again = new Certificate(Header.of(0, 1, secondAuthor, 1, List.of(batch), genesis), SignerBitmap.EMPTY, List.of());
        known.put(first.digest(), first);
        known.put(again.digest(), again);
        return List.of(new CommittedSubDag(1, List.of(first), List.of(), List.of(), List.of(batch)),
                new CommittedSubDag(2, List.of(again), List.of(), List.of(), List.of()));
    }

    @Test
    void aBatchOutputTwiceIsReported() {
        Digest batch = Digest.sha256(new byte[] {9});
        List<Digest> genesis = committee.genesis().stream().map(Certificate::digest).toList();
        Certificate first = new Certificate(Header.of(0, 1, 0, 0, List.of(batch), genesis), SignerBitmap.EMPTY, List.of());
        Certificate again = new Certificate(Header.of(0, 1, 1, 1, List.of(batch), genesis), SignerBitmap.EMPTY, List.of());
        known.put(first.digest(), first);
        known.put(again.digest(), again);
        assertThat(checker.checkNode(0, List.of(sub(1, first), sub(2, again)), known))
                .singleElement().asString().contains("committed twice");
    }

    @Test
    void aSkippedListingIsFineFromAByzantineAuthorAndReportedFromAnHonestOne() {
        CommitChecker byzantineOne = new CommitChecker(20, author -> author != 1);
        assertThat(byzantineOne.checkNode(0, batchListedByTwoAuthors(1), known)).isEmpty();
        CommitChecker allHonest = new CommitChecker(20, author -> true);
        assertThat(allHonest.checkNode(0, batchListedByTwoAuthors(1), known))
                .singleElement().asString().contains("honest validator 1 proposed batch");
    }

    @Test
    void differentOutputBatchesAreADisagreement() {
        List<CommittedSubDag> skipping = batchListedByTwoAuthors(1);
        List<CommittedSubDag> notSkipping = List.of(skipping.get(0), sub(2, skipping.get(1).certificates().get(0)));
        assertThat(checker.checkAgreement(0, skipping, 1, notSkipping)).singleElement().asString().contains("agreement");
    }

    @Test
    void anAnchorBeforeItsCausalHistoryIsReported() {
        // b0's parents a1 and a2 were never committed, and their authors have nothing later committed.
        assertThat(checker.checkNode(0, List.of(sub(1, a0), sub(2, b0)), known))
                .singleElement().asString().contains("before its parent");
    }

    @Test
    void divergingSequencesAreReported() {
        List<CommittedSubDag> x = List.of(sub(1, a0), sub(2, a1));
        List<CommittedSubDag> y = List.of(sub(1, a0), sub(2, a2));
        assertThat(checker.checkAgreement(0, x, 1, y)).singleElement().asString().startsWith("agreement");
    }

    @Test
    void commandLineErrorsAreClear() {
        assertThatThrownBy(() -> SimulatorMain.parse(new String[] {"--validators", "4"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--seeds");
        assertThatThrownBy(() -> SimulatorMain.parse(new String[] {"--seeds", "1-5"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FROM..TO");
        assertThatThrownBy(() -> SimulatorMain.parse(new String[] {"--seeds", "1..5", "--validators", "7", "--byzantine", "3"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds f");
        assertThatThrownBy(() -> SimulatorMain.parse(new String[] {"--seeds", "1..5", "--bogus", "1"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown option");
        assertThatThrownBy(() -> SimulatorMain.parse(new String[] {"--seeds"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a value");
        SimulatorMain.Args a = SimulatorMain.parse(new String[] {"--seeds", "3..9", "--validators", "7", "--byzantine", "2",
                "--crashes", "1", "--rounds", "12"});
        assertThat(a.from()).isEqualTo(3);
        assertThat(a.to()).isEqualTo(9);
        assertThat(a.validators()).isEqualTo(7);
        assertThat(a.byzantine()).isEqualTo(2);
        assertThat(a.crashes()).isEqualTo(1);
        assertThat(a.rounds()).isEqualTo(12);
    }
}
