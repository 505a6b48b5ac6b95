package dev.shoal.sequencer.core.dag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.sequencer.core.dag.InsertOutcome.Rejection;
import dev.shoal.sequencer.core.dag.PendingCertificates.Pending;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Digest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pending set and the round index on their own, below the {@link Dag} facade. */
class PendingCertificatesTest {
    private final Committee committee = DagBuilder.committee(4);
    private final DagBuilder b = new DagBuilder(committee).parse("Rounds 1..3: *");

    private List<Digest> digests(String... names) {
        List<Digest> out = new ArrayList<>();
        for (String n : names) out.add(b.get(n).digest());
        return out;
    }

    @Test
    void wantedParentsAreInDigestOrderAndExcludePendingOnes() {
        PendingCertificates pending = new PendingCertificates(10);
        pending.add(b.get("A3"), digests("A2", "B2", "C2"));
        pending.add(b.get("B2"), digests("A1"));
        List<Digest> expected = digests("A2", "C2", "A1");
        expected.sort(null);
        assertThat(pending.wantedParents()).containsExactlyElementsOf(expected);
        assertThat(pending.lowestWantedRound()).isEqualTo(1);
        assertThat(pending.at(1, 2)).isEqualTo(b.get("B2").digest());
        assertThat(pending.at(1, 3)).isNull();
    }

    @Test
    void releaseIsBreadthFirstAndAsksTheAdmitterForEachCompletedCertificate() {
        PendingCertificates pending = new PendingCertificates(10);
        pending.add(b.get("C3"), digests("A2"));
        pending.add(b.get("A2"), digests("A1"));
        pending.add(b.get("B2"), digests("A1"));
        List<Certificate> admitted = new ArrayList<>();
        List<Certificate> entered = new ArrayList<>();
        List<Rejection> dropped = new ArrayList<>();
        pending.release(b.get("A1"), c -> {
            admitted.add(c);
            return c.equals(b.get("B2")) ? new Rejection(InsertRejection.PARENT_QUORUM, c, "test", null) : null;
        }, entered, dropped);
        assertThat(admitted).containsExactly(b.get("A2"), b.get("B2"), b.get("C3"));
        assertThat(entered).containsExactly(b.get("A2"), b.get("C3"));
        assertThat(dropped).extracting(Rejection::certificate).containsExactly(b.get("B2"));
        assertThat(pending.count()).isZero();
        assertThat(pending.hasWaiters()).isFalse();
    }

    @Test
    void dropBelowForgetsOlderRoundsAndHandsBackTheGcRoundByAuthor() {
        PendingCertificates pending = new PendingCertificates(10);
        pending.add(b.get("D2"), digests("A1"));
        pending.add(b.get("B2"), digests("A1"));
        pending.add(b.get("C1"), digests("A0"));
        pending.add(b.get("A3"), digests("D2"));
        List<Pending> released = pending.dropBelow(2);
        assertThat(released).extracting(p -> p.certificate).containsExactly(b.get("B2"), b.get("D2"));
        assertThat(pending.contains(b.get("C1").digest())).isFalse();
        assertThat(pending.at(2, 1)).isNull();
        assertThat(pending.count()).isEqualTo(3);
    }

    @Test
    void rejectIfFullNamesTheCapacity() {
        PendingCertificates pending = new PendingCertificates(1);
        assertThat(pending.rejectIfFull(b.get("A2"))).isNull();
        pending.add(b.get("A2"), digests("A1"));
        Rejection full = pending.rejectIfFull(b.get("B2"));
        assertThat(full.reason()).isEqualTo(InsertRejection.PENDING_FULL);
        assertThat(full.detail()).isEqualTo("pending set holds 1 certificates (capacity 1)");
    }

    @Test
    void roundIndexDropsRoundsBelowTheTarget() {
        RoundIndex index = new RoundIndex(committee, 4);
        for (String n : List.of("A1", "B1", "A2")) index.add(b.get(n), new long[index.words()]);
        assertThat(index.count()).isEqualTo(7);
        assertThat(index.highestRound()).isEqualTo(2);
        index.dropBelow(2);
        assertThat(index.count()).isEqualTo(1);
        assertThat(index.vertex(0, 1)).isNull();
        assertThat(index.vertex(0, 2).certificate()).isEqualTo(b.get("A2"));
        index.dropBelow(5);
        assertThat(index.count()).isZero();
        assertThat(index.slots(5)).hasSize(4);
    }
}
