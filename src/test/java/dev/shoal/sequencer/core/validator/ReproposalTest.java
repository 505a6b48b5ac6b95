package dev.shoal.sequencer.core.validator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.core.validator.Message.HeaderMessage;
import dev.shoal.sequencer.core.validator.PersistRecord.CertificateRecord;
import dev.shoal.sequencer.core.validator.PersistRecord.OwnHeaderRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Honest re-proposal: a batch goes into a second header only when no certificate that can still
 * commit carries it. Plain JUnit on hand-built histories.
 */
class ReproposalTest {
    private final TestCommittee tc = new TestCommittee(4, 7);
    private static final Digest BATCH = Digest.sha256(new byte[] {42});

    /**
     * Regression (simulator seed 113, n=4, one honest crash, 120 rounds): validator 0 certified its
     * round-1 header (batch B), crashed, and restored a DAG that had since moved more than gcDepth
     * rounds past round 1. Its latest own header was then "not certified" because the certificate
     * had been garbage-collected out of the DAG, so the next header listed B again and B was
     * committed twice.
     */
    @Test
    void aCertifiedHeaderWhoseCertificateWasGarbageCollectedIsNotAbandoned() {
        Header own = Header.of(tc.committee.epoch(), 1, 0, 1, List.of(BATCH), tc.genesisDigests());
        Certificate ownCert = tc.certificate(own, List.of(0, 1, 2, 3));
        List<PersistRecord> records = new ArrayList<>();
        records.add(new OwnHeaderRecord(own));
        records.add(new CertificateRecord(ownCert));
        List<Certificate> previous = new ArrayList<>(List.of(ownCert));
        previous.addAll(tc.round(1, List.of(1, 2, 3), tc.genesisDigests()));
        for (Certificate c : previous.subList(1, previous.size())) records.add(new CertificateRecord(c));
        long top = 3 * TestCommittee.CONSENSUS.gcDepth();
        for (long r = 2; r <= top; r++) {
            List<Certificate> round = tc.round(r, List.of(1, 2, 3), TestCommittee.digests(previous));
            for (Certificate c : round) records.add(new CertificateRecord(c));
            previous = round;
        }

        ValidatorStateMachine m = tc.restore(0, records);
        assertThat(m.dag().gcRound()).as("the DAG moved past round 1").isGreaterThan(1);
        assertThat(m.consensus().lastCommittedRound(0)).as("our round-1 certificate was committed").isEqualTo(1);
        Output out = m.step(new Event.Start(10_000));

        List<Header> sent = out.toSend().stream().map(Outbound::message)
                .filter(HeaderMessage.class::isInstance).map(h -> ((HeaderMessage) h).header()).toList();
        assertThat(sent).as("a new header once restored").isNotEmpty();
        for (Header h : sent) assertThat(h.batchDigests()).as("header of round " + h.round()).doesNotContain(BATCH);
        assertThat(m.stats().headersAbandoned()).isZero();
    }

    /**
     * Regression: FROM_SCRATCH loads own headers only from the last commit's GC round, while the
     * replay meets every orphan of the whole history. An orphan whose batch was proposed again long
     * ago (and committed) must not be proposed a third time after the restart.
     */
    @Test
    void anOldOrphanWhoseBatchWasProposedAgainIsNotProposedAfterARestart() {
        List<PersistRecord> records = new ArrayList<>();
        // Round 1: our header with B is certified, but no round-2 certificate links it: an orphan.
        Header orphan = Header.of(tc.committee.epoch(), 1, 0, 1, List.of(BATCH), tc.genesisDigests());
        records.add(new CertificateRecord(tc.certificate(orphan, List.of(0, 1, 2, 3))));
        List<Certificate> others = tc.round(1, List.of(1, 2, 3), tc.genesisDigests());
        for (Certificate c : others) records.add(new CertificateRecord(c));
        List<Certificate> previous = others;
        long top = 3 * TestCommittee.CONSENSUS.gcDepth();
        for (long r = 2; r <= top; r++) {
            List<Certificate> round = new ArrayList<>();
            // Round 4: our header carries B again (the live node requeued it); it is certified and committed.
            List<Digest> ours = r == 4 ? List.of(BATCH) : List.of();
            Header h = Header.of(tc.committee.epoch(), r, 0, r, ours, TestCommittee.digests(previous));
            round.add(tc.certificate(h, List.of(0, 1, 2, 3)));
            round.addAll(tc.round(r, List.of(1, 2, 3), TestCommittee.digests(previous)));
            for (Certificate c : round) records.add(new CertificateRecord(c));
            if (r == top) records.add(0, new OwnHeaderRecord(h)); // recovery loads only recent own headers
            previous = round;
        }

        ValidatorStateMachine m = tc.restore(0, records);
        assertThat(m.stats().certificatesOrphaned()).as("the replay met the round-1 orphan").isPositive();
        assertThat(m.consensus().lastCommittedRound(0)).isGreaterThan(4);
        Output out = m.step(new Event.Start(10_000));
        List<Header> sent = out.toSend().stream().map(Outbound::message)
                .filter(HeaderMessage.class::isInstance).map(h -> ((HeaderMessage) h).header()).toList();
        assertThat(sent).as("a new header once restored").isNotEmpty();
        for (Header h : sent) assertThat(h.batchDigests()).as("header of round " + h.round()).doesNotContain(BATCH);
    }
}
