package dev.shoal.sequencer.core.validator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.core.types.Signature;
import dev.shoal.sequencer.core.types.Vote;
import dev.shoal.sequencer.core.validator.Event.BatchReady;
import dev.shoal.sequencer.core.validator.Event.CertificateReceived;
import dev.shoal.sequencer.core.validator.Event.HeaderReceived;
import dev.shoal.sequencer.core.validator.Event.Start;
import dev.shoal.sequencer.core.validator.Event.TimerFired;
import dev.shoal.sequencer.core.validator.Event.VoteReceived;
import dev.shoal.sequencer.core.validator.Message.CertificateMessage;
import dev.shoal.sequencer.core.validator.Message.CertificateRequest;
import dev.shoal.sequencer.core.validator.Message.HeaderMessage;
import dev.shoal.sequencer.core.validator.Message.VoteMessage;
import dev.shoal.sequencer.core.validator.PersistRecord.CertificateRecord;
import dev.shoal.sequencer.core.validator.PersistRecord.OwnHeaderRecord;
import dev.shoal.sequencer.core.validator.PersistRecord.VoteRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The validator state machine's rules on hand-built inputs. Not a {@code @QuarkusTest}: the core
 * is plain Java and the tests simply call {@code step}.
 */
class ValidatorStateMachineTest {
    private final TestCommittee tc = new TestCommittee(4, 7);

    private static List<Header> headersSent(Output out) {
        List<Header> hs = new ArrayList<>();
        for (Outbound o : out.toSend()) if (o.message() instanceof HeaderMessage h) hs.add(h.header());
        return hs;
    }

    private static List<Vote> votesSent(Output out) {
        List<Vote> vs = new ArrayList<>();
        for (Outbound o : out.toSend()) if (o.message() instanceof VoteMessage v) vs.add(v.vote());
        return vs;
    }

    private static List<Certificate> certificatesSent(Output out) {
        List<Certificate> cs = new ArrayList<>();
        for (Outbound o : out.toSend()) if (o.message() instanceof CertificateMessage c) cs.add(c.certificate());
        return cs;
    }

    private static <T> List<T> persisted(Output out, Class<T> type) {
        return out.toPersist().stream().filter(type::isInstance).map(type::cast).toList();
    }

    // ---- proposal ----------------------------------------------------------------------------

    @Test
    void startProposesRoundOneOnGenesisAndPersistsTheHeaderItSends() {
        ValidatorStateMachine m = tc.machine(0);
        m.step(new BatchReady(List.of(Digest.sha256(new byte[] {1}))));
        Output out = m.step(new Start(1_000));

        List<Header> sent = headersSent(out);
        assertThat(sent).hasSize(1);
        Header h = sent.get(0);
        assertThat(h.round()).isEqualTo(1);
        assertThat(h.author()).isEqualTo(0);
        assertThat(h.timestampMs()).isEqualTo(1_000);
        assertThat(h.parents()).containsExactlyInAnyOrderElementsOf(tc.genesisDigests());
        assertThat(h.batchDigests()).containsExactly(Digest.sha256(new byte[] {1}));
        assertThat(out.toPersist()).containsExactly(new OwnHeaderRecord(h));
        assertThat(out.toSend().get(0).destination()).isEqualTo(Destination.BROADCAST);
        assertThat(out.timers()).contains(new TimerRequest(TimerKind.ROUND_TIMEOUT, 1, TestCommittee.CONFIG.roundTimeoutMs()));
        assertThat(m.round()).isEqualTo(1);
    }

    @Test
    void headersCarryAtMostTheConfiguredBatchCountAndAnAbandonedHeadersBatchesGoFirstAgain() {
        ValidatorStateMachine m = tc.machine(0);
        List<Digest> batches = IntStream.range(0, 20).mapToObj(i -> Digest.sha256(new byte[] {(byte) i})).toList();
        m.step(new BatchReady(batches));
        Header h1 = headersSent(m.step(new Start(0))).get(0);
        assertThat(h1.batchDigests()).containsExactlyElementsOf(batches.subList(0, 16));

        // Round-1 certificates of 1, 2, 3 (a quorum) let us propose round 2 once the leader wait is over.
        List<Certificate> r1 = tc.round(1, List.of(1, 2, 3), tc.genesisDigests());
        Output last = Output.EMPTY;
        for (Certificate c : r1) last = m.step(new CertificateReceived(c, c.author()));
        if (headersSent(last).isEmpty()) last = m.step(new TimerFired(TimerKind.ROUND_TIMEOUT, 1));
        Header h2 = headersSent(last).get(0);
        assertThat(h2.round()).isEqualTo(2);
        // Nobody voted for h1, and it can no longer be certified: its batches come first again,
        // the remaining four wait for the next header.
        assertThat(h2.batchDigests()).containsExactlyElementsOf(batches.subList(0, 16));
        assertThat(h2.parents()).containsExactlyInAnyOrderElementsOf(TestCommittee.digests(r1));
        assertThat(m.stats().headersAbandoned()).isEqualTo(1);
    }

    @Test
    void waitsForTheLeaderCertificateOfTheRoundOrItsTimeout() {
        ValidatorStateMachine m = tc.machine(0);
        m.step(new Start(0));
        int leader = m.consensus().leader(1);
        assertThat(m.consensus().isAnchorCandidate(1)).isTrue();
        List<Integer> others = IntStream.range(0, 4).filter(i -> i != leader).boxed().toList();
        // A quorum of round-1 certificates without the leader's: no round-2 proposal yet.
        Output out = Output.EMPTY;
        for (Certificate c : tc.round(1, others, tc.genesisDigests())) {
            out = m.step(new CertificateReceived(c, c.author()));
            assertThat(headersSent(out)).as("proposed round 2 without leader " + leader).isEmpty();
        }
        assertThat(m.round()).isEqualTo(1);
        // A timeout of another round does not count.
        assertThat(headersSent(m.step(new TimerFired(TimerKind.ROUND_TIMEOUT, 0)))).isEmpty();
        // The round-1 timeout does.
        out = m.step(new TimerFired(TimerKind.ROUND_TIMEOUT, 1));
        assertThat(headersSent(out)).extracting(Header::round).containsExactly(2L);
        assertThat(persisted(out, OwnHeaderRecord.class)).hasSize(1);
    }

    @Test
    void advancesAsSoonAsTheLeaderCertificateCompletesAQuorum() {
        ValidatorStateMachine m = tc.machine(0);
        m.step(new Start(0));
        int leader = m.consensus().leader(1);
        List<Integer> authors = new ArrayList<>();
        authors.add(leader);
        for (int i = 0; i < 4 && authors.size() < 3; i++) if (i != leader) authors.add(i);
        List<Certificate> certs = tc.round(1, authors, tc.genesisDigests());
        assertThat(headersSent(m.step(new CertificateReceived(certs.get(0), certs.get(0).author())))).isEmpty();
        assertThat(headersSent(m.step(new CertificateReceived(certs.get(1), certs.get(1).author())))).isEmpty();
        // Third certificate: 2f+1 = 3 of round 1 including the leader.
        Output out = m.step(new CertificateReceived(certs.get(2), certs.get(2).author()));
        assertThat(headersSent(out)).extracting(Header::round).containsExactly(2L);
    }

    // ---- voting ------------------------------------------------------------------------------

    @Test
    void votesOnceForAValidHeaderAndPersistsTheVoteRecordBeforeSending() {
        ValidatorStateMachine m = tc.machine(0);
        m.step(new Start(0));
        Header h = tc.header(1, 1, tc.genesisDigests(), 5);
        Output out = m.step(new HeaderReceived(h, 1));

        assertThat(out.toPersist()).containsExactly(new VoteRecord(1, 1, h.digest()));
        List<Vote> votes = votesSent(out);
        assertThat(votes).hasSize(1);
        Vote v = votes.get(0);
        assertThat(out.toSend().get(0).destination()).isEqualTo(Destination.to(1));
        assertThat(v.headerDigest()).isEqualTo(h.digest());
        assertThat(v.voter()).isEqualTo(0);
        assertThat(v.verify(tc.keys[0].publicKey())).isTrue();

        // The same header again (a retransmission): the identical vote, nothing new to persist.
        Output again = m.step(new HeaderReceived(h, 1));
        assertThat(again.toPersist()).isEmpty();
        assertThat(votesSent(again)).containsExactly(v);
    }

    @Test
    void aSecondDifferentHeaderOfOneAuthorAndRoundIsRejectedAsEquivocation() {
        ValidatorStateMachine m = tc.machine(0);
        m.step(new Start(0));
        Header h = tc.header(2, 1, tc.genesisDigests(), 5);
        Header twin = tc.header(2, 1, tc.genesisDigests(), 6);
        assertThat(votesSent(m.step(new HeaderReceived(h, 2)))).hasSize(1);

        Output out = m.step(new HeaderReceived(twin, 2));
        assertThat(out.toPersist()).isEmpty();
        assertThat(out.toSend()).isEmpty();
        assertThat(m.stats().rejected(RejectReason.EQUIVOCATION)).isEqualTo(1);
    }

    @Test
    void anEquivocatingHeaderIsRejectedEvenBeforeTheFirstOneWasVotedFor() {
        ValidatorStateMachine m = tc.machine(0);
        m.step(new Start(0));
        // Round-2 headers whose parents we do not have yet: the first one waits, the twin is refused.
        List<Certificate> r1 = tc.round(1, List.of(1, 2, 3), tc.genesisDigests());
        Header h = tc.header(3, 2, TestCommittee.digests(r1), 10);
        Header twin = tc.header(3, 2, TestCommittee.digests(r1), 11);
        Output first = m.step(new HeaderReceived(h, 3));
        assertThat(first.toPersist()).isEmpty();
        assertThat(first.toSend()).extracting(Outbound::message).first().isInstanceOf(CertificateRequest.class);
        assertThat(m.step(new HeaderReceived(twin, 3)).toSend()).isEmpty();
        assertThat(m.stats().rejected(RejectReason.EQUIVOCATION)).isEqualTo(1);

        // Parents arrive: the first header gets its vote, the twin never does.
        List<Vote> votes = new ArrayList<>();
        for (Certificate c : r1) votes.addAll(votesSent(m.step(new CertificateReceived(c, 3))));
        assertThat(votes).extracting(Vote::headerDigest).containsExactly(h.digest());
    }

    @Test
    void invalidHeadersAreRejectedByReasonAndNeverVotedForOrPersisted() {
        ValidatorStateMachine m = tc.machine(0);
        m.step(new Start(0));
        List<Certificate> r1 = tc.round(1, List.of(1, 2, 3), tc.genesisDigests());
        for (Certificate c : r1) m.step(new CertificateReceived(c, c.author()));

        assertRejected(m, new HeaderReceived(tc.header(1, 1, tc.genesisDigests(), 1), 2), RejectReason.SENDER_NOT_AUTHOR);
        assertRejected(m, new HeaderReceived(tc.header(1, 1, tc.genesisDigests(), 1), 9), RejectReason.UNKNOWN_VALIDATOR);
        assertRejected(m, new HeaderReceived(Header.of(5, 1, 1, 1, List.of(), tc.genesisDigests()), 1), RejectReason.WRONG_EPOCH);
        assertRejected(m, new HeaderReceived(tc.header(1, 0, List.of(), 1), 1), RejectReason.MALFORMED);
        // Two parents of round 1: below the 2f+1 = 3 quorum.
        assertRejected(m, new HeaderReceived(tc.header(2, 2, TestCommittee.digests(r1).subList(0, 2), 1), 2),
                RejectReason.PARENTS_NO_QUORUM);
        // Round-3 header whose parents are round-1 certificates.
        assertRejected(m, new HeaderReceived(tc.header(3, 3, TestCommittee.digests(r1), 1), 3), RejectReason.PARENT_WRONG_ROUND);
        List<Digest> tooMany = IntStream.range(0, 17).mapToObj(i -> Digest.sha256(new byte[] {(byte) i})).toList();
        assertRejected(m, new HeaderReceived(Header.of(0, 2, 1, 1, tooMany, TestCommittee.digests(r1)), 1), RejectReason.OVERSIZED);
    }

    private static void assertRejected(ValidatorStateMachine m, Event e, RejectReason reason) {
        long before = m.stats().rejected(reason);
        Output out = m.step(e);
        assertThat(out.toPersist()).as("persisted for " + e).isEmpty();
        assertThat(votesSent(out)).as("voted for " + e).isEmpty();
        assertThat(m.stats().rejected(reason)).as("counter " + reason).isEqualTo(before + 1);
    }

    // ---- vote aggregation ---------------------------------------------------------------------

    @Test
    void votesForOurHeaderBecomeACertificateAtQuorumIgnoringDuplicatesBadSignaturesAndOtherHeaders() {
        ValidatorStateMachine m = tc.machine(0);
        Header h = headersSent(m.step(new Start(0))).get(0);

        assertThat(m.step(new VoteReceived(tc.vote(h, 1))).isEmpty()).isTrue();
        // Duplicate from 1: not a second vote.
        assertThat(m.step(new VoteReceived(tc.vote(h, 1))).isEmpty()).isTrue();
        // Bad signature from 2.
        Vote good2 = tc.vote(h, 2);
        byte[] sig = good2.signature().toBytes();
        sig[0] ^= 1;
        Vote forged = new Vote(h.digest(), h.epoch(), h.round(), 0, 2, Signature.of(sig));
        assertThat(m.step(new VoteReceived(forged)).isEmpty()).isTrue();
        assertThat(m.stats().rejected(RejectReason.INVALID_SIGNATURE)).isEqualTo(1);
        // A vote for some other header of ours.
        Header other = tc.header(0, 1, tc.genesisDigests(), 999);
        assertThat(m.step(new VoteReceived(tc.vote(other, 3))).isEmpty()).isTrue();
        assertThat(m.stats().rejected(RejectReason.VOTE_NOT_FOR_OUR_HEADER)).isEqualTo(1);

        // Valid vote of 2: 0 (ourselves), 1, 2 = quorum.
        Output out = m.step(new VoteReceived(good2));
        List<Certificate> certs = certificatesSent(out);
        assertThat(certs).hasSize(1);
        Certificate c = certs.get(0);
        assertThat(c.header()).isEqualTo(h);
        assertThat(c.signers().signers()).containsExactly(0, 1, 2);
        assertThat(tc.committee.checkCertificate(c)).isEmpty();
        assertThat(out.toPersist()).startsWith(new CertificateRecord(c));
        assertThat(m.dag().contains(c.digest())).isTrue();
        // A late vote changes nothing.
        assertThat(certificatesSent(m.step(new VoteReceived(tc.vote(h, 3))))).isEmpty();
    }

    // ---- certificates -------------------------------------------------------------------------

    @Test
    void invalidCertificatesAreRejectedAndNotPersisted() {
        ValidatorStateMachine m = tc.machine(0);
        m.step(new Start(0));
        Header h = tc.header(1, 1, tc.genesisDigests(), 3);
        // Below quorum: two signers.
        Output out = m.step(new CertificateReceived(tc.certificate(h, List.of(1, 2)), 1));
        assertThat(out.toPersist()).isEmpty();
        // A corrupted signature.
        Certificate good = tc.certificate(h, List.of(1, 2, 3));
        List<Signature> sigs = new ArrayList<>(good.signatures());
        byte[] b = sigs.get(1).toBytes();
        b[5] ^= 0x10;
        sigs.set(1, Signature.of(b));
        out = m.step(new CertificateReceived(new Certificate(h, good.signers(), sigs), 1));
        assertThat(out.toPersist()).isEmpty();
        assertThat(m.stats().rejected(RejectReason.NO_QUORUM)).isEqualTo(1);
        assertThat(m.stats().rejected(RejectReason.INVALID_SIGNATURE)).isEqualTo(1);
        assertThat(m.dag().contains(good.digest())).isFalse();
        // The genuine one is accepted and persisted.
        out = m.step(new CertificateReceived(good, 1));
        assertThat(out.toPersist()).contains(new CertificateRecord(good));
        assertThat(m.dag().contains(good.digest())).isTrue();
    }

    @Test
    void ourOwnVoteInsideACertificateIsTrustedOnlyWhenItIsTheSignatureWeMade() {
        ValidatorStateMachine m = tc.machine(0);
        m.step(new Start(0));
        Header h = tc.header(1, 1, tc.genesisDigests(), 3);
        m.step(new HeaderReceived(h, 1)); // we vote: our signature is remembered
        Certificate good = tc.certificate(h, List.of(0, 1, 2));
        // Our slot (signer 0, first) with another signature: verified, and rejected.
        List<Signature> sigs = new ArrayList<>(good.signatures());
        byte[] b = sigs.get(0).toBytes();
        b[9] ^= 0x01;
        sigs.set(0, Signature.of(b));
        Output out = m.step(new CertificateReceived(new Certificate(h, good.signers(), sigs), 1));
        assertThat(out.toPersist()).isEmpty();
        assertThat(m.stats().rejected(RejectReason.INVALID_SIGNATURE)).isEqualTo(1);
        // The genuine certificate, carrying the vote we made, is accepted.
        out = m.step(new CertificateReceived(good, 1));
        assertThat(out.toPersist()).contains(new CertificateRecord(good));
        assertThat(m.dag().contains(good.digest())).isTrue();
    }

    @Test
    void aCertificateWithMissingParentsIsPersistedHeldAndItsParentsRequestedFromTheSender() {
        ValidatorStateMachine m = tc.machine(0);
        m.step(new Start(0));
        List<Certificate> r1 = tc.round(1, List.of(1, 2, 3), tc.genesisDigests());
        Certificate r2 = tc.round(2, List.of(1), TestCommittee.digests(r1)).get(0);
        Output out = m.step(new CertificateReceived(r2, 2));
        assertThat(out.toPersist()).containsExactly(new CertificateRecord(r2));
        assertThat(out.toSend()).containsExactly(new Outbound(Destination.to(2), new CertificateRequest(
                r1.stream().map(Certificate::digest).sorted().toList())));
        assertThat(m.dag().contains(r2.digest())).isFalse();
        for (Certificate c : r1) m.step(new CertificateReceived(c, 2));
        assertThat(m.dag().contains(r2.digest())).isTrue();
    }

    // ---- restore: safety rules 1 and 2 ---------------------------------------------------------

    @Test
    void afterRestoreTheSameHeaderIsResentNeverANewOneForThatRound() {
        ValidatorStateMachine m = tc.machine(2);
        m.step(new BatchReady(List.of(Digest.sha256(new byte[] {42}))));
        Output first = m.step(new Start(100));
        Header h = headersSent(first).get(0);

        ValidatorStateMachine restored = tc.restore(2, first.toPersist());
        // New batches and a later clock would change a new header: the persisted one must go out.
        restored.step(new BatchReady(List.of(Digest.sha256(new byte[] {43}))));
        Output out = restored.step(new Start(5_000));
        assertThat(headersSent(out)).containsExactly(h);
        assertThat(persisted(out, OwnHeaderRecord.class)).isEmpty();
        assertThat(restored.round()).isEqualTo(1);
        // And it still collects votes for that header.
        restored.step(new VoteReceived(tc.vote(h, 0)));
        assertThat(certificatesSent(restored.step(new VoteReceived(tc.vote(h, 1))))).hasSize(1);
    }

    @Test
    void afterRestoreAVoteIsNeverChangedAndTheSameVoteIsResent() {
        ValidatorStateMachine m = tc.machine(0);
        List<PersistRecord> persisted = new ArrayList<>(m.step(new Start(0)).toPersist());
        Header h = tc.header(3, 1, tc.genesisDigests(), 5);
        Output voted = m.step(new HeaderReceived(h, 3));
        persisted.addAll(voted.toPersist());
        Vote original = votesSent(voted).get(0);

        ValidatorStateMachine restored = tc.restore(0, persisted);
        restored.step(new Start(10));
        Header twin = tc.header(3, 1, tc.genesisDigests(), 6);
        Output out = restored.step(new HeaderReceived(twin, 3));
        assertThat(votesSent(out)).isEmpty();
        assertThat(out.toPersist()).isEmpty();
        assertThat(restored.stats().rejected(RejectReason.EQUIVOCATION)).isEqualTo(1);

        Output again = restored.step(new HeaderReceived(h, 3));
        assertThat(votesSent(again)).containsExactly(original);
        assertThat(again.toPersist()).isEmpty();
    }

    @Test
    void afterRestoreParentsOfHeldBackCertificatesAreRequestedAgain() {
        ValidatorStateMachine m = tc.machine(0);
        List<PersistRecord> persisted = new ArrayList<>(m.step(new Start(0)).toPersist());
        List<Certificate> r1 = tc.round(1, List.of(1, 2, 3), tc.genesisDigests());
        Certificate r2 = tc.round(2, List.of(1), TestCommittee.digests(r1)).get(0);
        persisted.addAll(m.step(new CertificateReceived(r2, 1)).toPersist());

        // The answer to the first request was lost in the crash: the restored validator asks again.
        ValidatorStateMachine restored = tc.restore(0, persisted);
        Output out = restored.step(new Start(10));
        List<Digest> wanted = r1.stream().map(Certificate::digest).sorted().toList();
        assertThat(out.toSend()).extracting(Outbound::message).contains(new CertificateRequest(wanted));
        // And on every resend tick, from the next peer in rotation.
        Output tick = restored.step(new TimerFired(TimerKind.RESEND, 1));
        List<Outbound> requests = tick.toSend().stream().filter(o -> o.message() instanceof CertificateRequest).toList();
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).destination()).isNotEqualTo(out.toSend().stream()
                .filter(o -> o.message() instanceof CertificateRequest).findFirst().orElseThrow().destination());
        assertThat(tick.timers()).containsExactly(new TimerRequest(TimerKind.RESEND, 1, TestCommittee.CONFIG.resendIntervalMs()));
        // A stale resend timer (an earlier generation) does nothing.
        assertThat(restored.step(new TimerFired(TimerKind.RESEND, 0)).isEmpty()).isTrue();
    }

    @Test
    void restoreRejectsContradictoryRecords() {
        Header a = tc.header(1, 1, tc.genesisDigests(), 1);
        Header b = tc.header(1, 1, tc.genesisDigests(), 2);
        List<PersistRecord> records = List.of(new VoteRecord(1, 1, a.digest()), new VoteRecord(1, 1, b.digest()));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> tc.restore(0, records))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("two different votes");
    }

    @Test
    void certificateRequestsAreAnsweredWithKnownCertificatesOnly() {
        ValidatorStateMachine m = tc.machine(0);
        m.step(new Start(0));
        List<Certificate> r1 = tc.round(1, List.of(1, 2, 3), tc.genesisDigests());
        for (Certificate c : r1) m.step(new CertificateReceived(c, c.author()));
        Output out = m.step(new Event.CertificatesRequested(
                List.of(r1.get(0).digest(), Digest.sha256(new byte[] {9}), r1.get(2).digest()), 3));
        assertThat(out.toSend()).containsExactly(
                new Outbound(Destination.to(3), new CertificateMessage(r1.get(0))),
                new Outbound(Destination.to(3), new CertificateMessage(r1.get(2))));
        assertThat(Set.copyOf(out.toPersist())).isEmpty();
    }
}
