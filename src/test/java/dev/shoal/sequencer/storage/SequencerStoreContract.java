package dev.shoal.sequencer.storage;

import dev.shoal.sequencer.core.validator.PersistRecord.VoteRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.sequencer.core.types.Batch;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link SequencerStore} must have. Subclasses supply an empty store;
 * the same tests run on the in-memory and the PostgreSQL implementation.
 */
public abstract class SequencerStoreContract {
    private static final Duration T = Duration.ofSeconds(30);

    protected final StoreFixtures fx = new StoreFixtures(7);
    protected SequencerStore store;

    /** An empty store. */
    protected abstract SequencerStore emptyStore();

    @BeforeEach
    void setUp() {
        store = emptyStore();
    }

    private <X> X await(io.smallrye.mutiny.Uni<X> uni) {
        return uni.await().atMost(T);
    }

    private List<Certificate> rounds(int n) {
        List<Certificate> all = new ArrayList<>();
        List<Certificate> prev = fx.committee.genesis();
        for (int r = 1; r <= n; r++) {
            prev = fx.round(r, prev);
            all.addAll(prev);
        }
        return all;
    }

    private CommitRecord commit(long index, Certificate anchor, List<Certificate> certs) {
        return new CommitRecord(index, anchor.digest(), anchor.round(), anchor.author(),
                certs.stream().map(Certificate::digest).toList(), new byte[] {1, 2}, new byte[] {3},
                certs.stream().flatMap(c -> c.header().batchDigests().stream()).distinct().toList(),
                Instant.parse("2026-01-01T00:00:00Z").plusSeconds(index));
    }

    @Test
    void storesCommitTransactionsOnceAndReadsTheWindowsTail() {
        Digest a = Digest.sha256(new byte[] {1});
        Digest b = Digest.sha256(new byte[] {2});
        Digest c = Digest.sha256(new byte[] {3});
        assertThat(await(store.lastCommitTransactionsIndex())).isZero();
        assertThat(await(store.commitTransactionsTail(Long.MAX_VALUE, 10))).isEmpty();
        CommitTransactions first = new CommitTransactions(1, 2, List.of(a, b), List.of());
        CommitTransactions second = new CommitTransactions(2, 2, List.of(), List.of(a));
        CommitTransactions third = new CommitTransactions(3, 3, List.of(c), List.of(b, b));
        await(store.saveCommitTransactions(List.of(first, second)));
        await(store.saveCommitTransactions(List.of(second, third)));
        await(store.saveCommitTransactions(List.of(new CommitTransactions(3, 4, List.of(a, c), List.of()))));
        assertThat(await(store.commitTransactions(1, 10))).as("a row stored again is kept as it was").containsExactly(first, second, third);
        assertThat(await(store.commitTransactions(2, 1))).containsExactly(second);
        assertThat(await(store.lastCommitTransactionsIndex())).isEqualTo(3);
        assertThat(await(store.commitTransactionsTail(Long.MAX_VALUE, 1))).containsExactly(third);
        assertThat(await(store.commitTransactionsTail(Long.MAX_VALUE, 2))).as("output ends above 3 - 2").containsExactly(first, second, third);
        assertThat(await(store.commitTransactionsTail(Long.MAX_VALUE, 100))).containsExactly(first, second, third);
        assertThat(await(store.commitTransactionsTail(2, 1))).as("up to commit 2: output ends above 2 - 1").containsExactly(first, second);
        assertThat(await(store.commitTransactionsTail(1, 100))).containsExactly(first);
        assertThat(await(store.deleteCommitTransactionsAbove(1))).isEqualTo(2);
        assertThat(await(store.commitTransactions(1, 10))).containsExactly(first);
    }

    @Test
    void storesAndReadsCertificatesIdempotently() {
        List<Certificate> certs = rounds(2);
        WriteGroup g = new WriteGroup();
        certs.forEach(g::certificate);
        await(store.write(g));
        await(store.write(g)); // a retried group changes nothing

        Certificate c = certs.get(5);
        StoredCertificate s = await(store.certificate(c.digest())).orElseThrow();
        assertThat(s.certificate()).isEqualTo(c);
        assertThat(s.committed()).isFalse();
        assertThat(await(store.certificate(Digest.ZERO))).isEmpty();
        assertThat(await(store.certificateCount())).isEqualTo(8);
        assertThat(await(store.metadata()).totalCertificates()).isEqualTo(8);
    }

    @Test
    void looksUpCertificatesAndBatchesByDigestInBulk() {
        List<Certificate> certs = rounds(1);
        Batch b = StoreFixtures.batch(2, "x");
        WriteGroup g = new WriteGroup().batch(b);
        certs.forEach(g::certificate);
        await(store.write(g));
        List<StoredCertificate> found = await(store.certificatesByDigest(List.of(certs.get(1).digest(), Digest.ZERO, certs.get(3).digest())));
        assertThat(found).extracting(StoredCertificate::certificate).containsExactlyInAnyOrder(certs.get(1), certs.get(3));
        assertThat(await(store.batchesByDigest(List.of(b.digest(), Digest.ZERO)))).extracting(StoredBatch::batch).containsExactly(b);
        assertThat(await(store.batchesByDigest(List.of()))).isEmpty();
    }

    @Test
    void queriesCertificatesByRoundAuthorAndCommitStatus() {
        List<Certificate> certs = rounds(3);
        WriteGroup g = new WriteGroup();
        certs.forEach(g::certificate);
        await(store.write(g));

        List<StoredCertificate> round2 = await(store.certificates(new CertificateQuery(Optional.of(2L), Optional.empty(), Optional.empty(), 100)));
        assertThat(round2).extracting(s -> s.certificate().author()).containsExactly(0, 1, 2, 3);
        assertThat(round2).allMatch(s -> s.certificate().round() == 2);

        List<StoredCertificate> author1 = await(store.certificates(new CertificateQuery(Optional.empty(), Optional.of(1), Optional.empty(), 100)));
        assertThat(author1).extracting(s -> s.certificate().round()).containsExactly(1L, 2L, 3L);

        Certificate anchor = certs.get(1); // round 1, author 1
        await(store.write(new WriteGroup().commit(commit(1, anchor, List.of(anchor)))));
        List<StoredCertificate> committed = await(store.certificates(new CertificateQuery(Optional.empty(), Optional.empty(), Optional.of(true), 100)));
        assertThat(committed).extracting(s -> s.certificate().digest()).containsExactly(anchor.digest());
        assertThat(committed.get(0).commitIndex()).isEqualTo(1);
        assertThat(await(store.certificates(new CertificateQuery(Optional.empty(), Optional.empty(), Optional.of(false), 100)))).hasSize(11);
        assertThat(await(store.certificates(CertificateQuery.all(5)))).hasSize(5);
    }

    @Test
    void pagesCertificatesInRoundAuthorOrder() {
        List<Certificate> certs = rounds(3);
        WriteGroup g = new WriteGroup();
        for (int i = certs.size() - 1; i >= 0; i--) g.certificate(certs.get(i));
        await(store.write(g));

        List<Certificate> seen = new ArrayList<>();
        long round = -1;
        int author = Integer.MAX_VALUE;
        while (true) {
            List<Certificate> page = await(store.certificatePage(round, author, 5));
            if (page.isEmpty()) break;
            seen.addAll(page);
            Certificate last = page.get(page.size() - 1);
            round = last.round();
            author = last.author();
        }
        assertThat(seen).containsExactlyElementsOf(certs);
    }

    @Test
    void certificatePagesStreamEveryCertificateFromARoundWhateverThePageSize() {
        List<Certificate> certs = rounds(5);
        WriteGroup g = new WriteGroup();
        certs.forEach(g::certificate);
        await(store.write(g));

        for (int pageSize : new int[] {1, 3, 4, 7, 20, 100}) {
            for (long from : new long[] {0, 1, 3, 5, 6}) {
                List<Certificate> seen = new ArrayList<>();
                List<Integer> sizes = new ArrayList<>();
                CertificatePages.forEachFrom(store, from, pageSize, T, page -> {
                    sizes.add(page.size());
                    seen.addAll(page);
                });
                assertThat(seen).as("page size %d from round %d", pageSize, from)
                        .containsExactlyElementsOf(certs.stream().filter(c -> c.round() >= from).toList());
                assertThat(sizes).as("page size %d from round %d", pageSize, from).allMatch(n -> n >= 1 && n <= pageSize);
            }
        }
    }

    @Test
    void aPageAskedForAfterAWriteSeesThatWrite() {
        List<Certificate> certs = rounds(3);
        WriteGroup first = new WriteGroup();
        certs.subList(0, 8).forEach(first::certificate);
        await(store.write(first));
        // A full page: a store that reads ahead starts on the (still empty) page after it now.
        List<Certificate> page = await(store.certificatePage(0, Integer.MAX_VALUE, 8));
        assertThat(page).containsExactlyElementsOf(certs.subList(0, 8));

        WriteGroup round3 = new WriteGroup();
        certs.subList(8, 12).forEach(round3::certificate);
        await(store.write(round3));
        Certificate last = page.get(7);
        assertThat(await(store.certificatePage(last.round(), last.author(), 8))).containsExactlyElementsOf(certs.subList(8, 12));
    }

    @Test
    void storesBatchesAndLinksThemToCertificates() {
        Batch b1 = StoreFixtures.batch(0, "alpha", "beta");
        Batch b2 = StoreFixtures.batch(0, "gamma");
        Batch b3 = StoreFixtures.batch(1, "delta".repeat(100)); // compressible
        await(store.write(new WriteGroup().batch(b1).batch(b2).batch(b3)));
        await(store.write(new WriteGroup().batch(b1))); // duplicate: no-op

        assertThat(await(store.batch(b3.digest())).orElseThrow().batch()).isEqualTo(b3);
        assertThat(await(store.batches(Optional.of(0), false, 100))).extracting(BatchSummary::digest)
                .containsExactlyInAnyOrder(b1.digest(), b2.digest());
        assertThat(await(store.unreferencedBatches(0, 100))).hasSize(2);

        Certificate c = fx.certificate(0, 1, fx.committee.genesis().stream().map(Certificate::digest).toList(),
                List.of(b1.digest()));
        await(store.write(new WriteGroup().certificate(c).batchLink(b1.digest(), c.digest())));
        assertThat(await(store.batch(b1.digest())).orElseThrow().certificateDigest()).contains(c.digest());
        assertThat(await(store.unreferencedBatches(0, 100))).extracting(StoredBatch::digest).containsExactly(b2.digest());
        assertThat(await(store.batches(Optional.empty(), true, 100))).extracting(BatchSummary::digest)
                .containsExactlyInAnyOrder(b2.digest(), b3.digest());
        BatchSummary s1 = await(store.batches(Optional.of(0), false, 100)).stream()
                .filter(s -> s.digest().equals(b1.digest())).findFirst().orElseThrow();
        assertThat(s1.transactionCount()).isEqualTo(2);
        assertThat(s1.sizeBytes()).isEqualTo(9);

        // a second link for the same batch does not move it
        await(store.write(new WriteGroup().batchLink(b1.digest(), Digest.sha256(new byte[] {1}))));
        assertThat(await(store.batch(b1.digest())).orElseThrow().certificateDigest()).contains(c.digest());
        ConsensusMetadata m = await(store.metadata());
        assertThat(m.totalBatches()).isEqualTo(3);
        assertThat(m.totalTransactions()).isEqualTo(4);
    }

    @Test
    void ownHeadersAndVotesAreKeptAndARetryIsANoOp() {
        Header h1 = fx.certificate(0, 5, List.of(), List.of()).header();
        await(store.write(new WriteGroup().ownHeader(h1)));
        await(store.write(new WriteGroup().ownHeader(h1)));
        assertThat(await(store.ownHeaders(0))).containsExactly(h1);
        assertThat(await(store.ownHeaders(6))).isEmpty();

        VoteRecord v = new VoteRecord(2, 7, h1.digest());
        VoteRecord w = new VoteRecord(3, 8, Digest.sha256(new byte[] {9}));
        await(store.write(new WriteGroup().vote(v).vote(w)));
        await(store.write(new WriteGroup().vote(v)));
        assertThat(await(store.votes(0))).containsExactly(v, w);
        assertThat(await(store.votes(8))).hasSize(1);
    }

    @Test
    void aConflictingOwnHeaderVoteOrCommitFailsTheWholeWriteAndChangesNothing() {
        List<Certificate> certs = rounds(2);
        WriteGroup setup = new WriteGroup();
        certs.forEach(setup::certificate);
        Header h1 = fx.certificate(0, 5, List.of(), List.of()).header();
        Header h1b = fx.certificate(0, 5, List.of(Digest.sha256(new byte[] {9})), List.of()).header();
        VoteRecord v = new VoteRecord(2, 7, h1.digest());
        CommitRecord c1 = commit(1, certs.get(0), List.of(certs.get(0)));
        await(store.write(setup.ownHeader(h1).vote(v).commit(c1)));
        Certificate innocent = fx.certificate(3, 9, List.of(), List.of());

        // Each conflict comes with an innocent record: the write is refused as a whole.
        List<WriteGroup> conflicts = List.of(
                new WriteGroup().certificate(innocent).ownHeader(h1b),
                new WriteGroup().certificate(innocent).vote(new VoteRecord(2, 7, h1b.digest())),
                new WriteGroup().certificate(innocent).commit(commit(1, certs.get(1), List.of(certs.get(1)))),
                new WriteGroup().certificate(innocent).commit(commit(2, certs.get(0), List.of(certs.get(0)))));
        for (WriteGroup g : conflicts) {
            assertThatThrownBy(() -> await(store.write(g))).satisfies(e -> assertThat(SafetyRecordConflictException.in(e)).isTrue());
        }
        assertThat(await(store.ownHeaders(0))).containsExactly(h1);
        assertThat(await(store.votes(0))).containsExactly(v);
        assertThat(await(store.commits(1, 10))).singleElement().satisfies(c -> assertThat(c.sameContent(c1)).isTrue());
        assertThat(await(store.certificate(innocent.digest()))).isEmpty();
        assertThat(await(store.metadata()).totalCertificates()).as("a refused write counts nothing").isEqualTo(certs.size());
        assertThat(await(store.metadata()).totalCommits()).isEqualTo(1);
    }

    @Test
    void commitLogIsOrderedAndMarksCertificates() {
        List<Certificate> certs = rounds(2);
        WriteGroup g = new WriteGroup();
        certs.forEach(g::certificate);
        await(store.write(g));
        CommitRecord c1 = commit(1, certs.get(0), List.of(certs.get(0)));
        CommitRecord c2 = commit(2, certs.get(5), List.of(certs.get(1), certs.get(2), certs.get(3), certs.get(5)));
        await(store.write(new WriteGroup().commit(c1).commit(c2).currentRound(2).lastAnchorRound(2)));
        await(store.write(new WriteGroup().commit(c2))); // retry: no double count

        List<CommitRecord> log = await(store.commits(1, 10));
        assertThat(log).hasSize(2);
        assertThat(log.get(0).sameContent(c1)).isTrue();
        assertThat(log.get(1).sameContent(c2)).isTrue();
        assertThat(log.get(1).committedAt()).isEqualTo(c2.committedAt());
        assertThat(await(store.commits(2, 10))).hasSize(1);
        assertThat(await(store.commits(1, 1))).hasSize(1);
        assertThat(await(store.lastCommitIndex())).isEqualTo(2);
        assertThat(await(store.certificate(certs.get(3).digest())).orElseThrow().commitIndex()).isEqualTo(2);

        ConsensusMetadata m = await(store.metadata());
        assertThat(m.lastCommitIndex()).isEqualTo(2);
        assertThat(m.totalCommits()).isEqualTo(2);
        assertThat(m.highestCommittedRound()).isEqualTo(2);
        assertThat(m.currentRound()).isEqualTo(2);
        assertThat(m.lastAnchorRound()).isEqualTo(2);
    }

    @Test
    void metadataRoundsNeverMoveBackwards() {
        await(store.write(new WriteGroup().currentRound(9)));
        await(store.write(new WriteGroup().currentRound(4)));
        assertThat(await(store.metadata()).currentRound()).isEqualTo(9);
    }

    private CheckpointRecord checkpoint(long round) {
        return new CheckpointRecord(round, 1, "zstd", new byte[] {(byte) round, 1, 2, 3}, new byte[] {4, 5, 6, 7},
                100 + round, 12, round / 2, Math.max(0, round - 10), Instant.parse("2026-01-01T00:00:00Z").plusSeconds(round));
    }

    @Test
    void checkpointsLatestListAndPrune() {
        assertThat(await(store.latestCheckpoint())).isEmpty();
        for (long r : new long[] {10, 30, 20, 40}) await(store.saveCheckpoint(checkpoint(r)));
        CheckpointRecord latest = await(store.latestCheckpoint()).orElseThrow();
        assertThat(latest.round()).isEqualTo(40);
        assertThat(latest.payload()).containsExactly(40, 1, 2, 3);
        assertThat(latest.checksum()).containsExactly(4, 5, 6, 7);
        assertThat(await(store.checkpoints())).extracting(CheckpointSummary::round).containsExactly(40L, 30L, 20L, 10L);
        assertThat(await(store.checkpoints()).get(0).compressedSize()).isEqualTo(4);
        // commit index = round / 2: at most 16 -> round 30 (15); at most 4 -> none (round 10 has 5)
        assertThat(await(store.latestCheckpointUpTo(16))).map(CheckpointRecord::round).contains(30L);
        assertThat(await(store.latestCheckpointUpTo(20))).map(CheckpointRecord::round).contains(40L);
        assertThat(await(store.latestCheckpointUpTo(5))).map(CheckpointRecord::round).contains(10L);
        assertThat(await(store.latestCheckpointUpTo(4))).isEmpty();

        assertThat(await(store.pruneCheckpoints(2))).isEqualTo(2);
        assertThat(await(store.checkpoints())).extracting(CheckpointSummary::round).containsExactly(40L, 30L);
        assertThat(await(store.metadata()).lastCheckpointRound()).contains(40L);
    }

    @Test
    void prunesHistoryBelowACutKeepingTheTransactionWindow() {
        Batch b = StoreFixtures.batch(0, "old");
        Batch keep = StoreFixtures.batch(1, "new");
        List<Certificate> genesis = fx.committee.genesis();
        Certificate c1 = fx.certificate(0, 1, genesis.stream().map(Certificate::digest).toList(), List.of(b.digest()));
        List<Certificate> r1 = new ArrayList<>(fx.round(1, genesis));
        r1.set(0, c1);
        List<Certificate> r2 = fx.round(2, r1);
        WriteGroup g = new WriteGroup().batch(b).batch(keep).batchLink(b.digest(), c1.digest());
        r1.forEach(g::certificate);
        r2.forEach(g::certificate);
        g.ownHeader(c1.header()).ownHeader(r2.get(0).header());
        g.commit(commit(1, r1.get(0), List.of(r1.get(0)))).commit(commit(2, r2.get(1), List.of(r2.get(1))))
                .commit(commit(3, r2.get(2), List.of(r2.get(2))));
        g.vote(new VoteRecord(1, 1, r1.get(1).header().digest())).vote(new VoteRecord(1, 2, r2.get(1).header().digest()));
        await(store.write(g));
        Digest x = Digest.sha256(new byte[] {1});
        Digest y = Digest.sha256(new byte[] {2});
        CommitTransactions first = new CommitTransactions(1, 1, List.of(x), List.of());
        CommitTransactions empty = new CommitTransactions(2, 1, List.of(), List.of(x));
        CommitTransactions third = new CommitTransactions(3, 2, List.of(y), List.of());
        await(store.saveCommitTransactions(List.of(first, empty, third)));
        // commit i was made at 2026-01-01T00:00:0i
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(await(store.lastCommitBefore(t0.plusMillis(2_500)))).isEqualTo(2);
        assertThat(await(store.lastCommitBefore(t0.plusSeconds(1)))).as("strictly before").isZero();

        // A window of 2 transactions after commit 3 still needs commit 1's row, not the empty one.
        assertThat(await(store.pruneHistory(3, 2, 3, 2))).isEqualTo(new PrunedHistory(4, 1, 1, 1, 2, 1));
        assertThat(await(store.commits(1, 10))).extracting(CommitRecord::index).containsExactly(3L);
        assertThat(await(store.lastCommitIndex())).isEqualTo(3);
        assertThat(await(store.commitTransactions(1, 10))).containsExactly(first, third);
        assertThat(await(store.commitTransactionsTail(3, 2))).containsExactly(first, third);
        assertThat(await(store.ownHeaders(0))).as("own headers below the round go with the certificates")
                .containsExactly(r2.get(0).header());
        assertThat(await(store.votes(0))).extracting(VoteRecord::round).containsExactly(2L);
        assertThat(await(store.certificate(c1.digest()))).isEmpty();
        assertThat(await(store.certificate(r2.get(0).digest()))).isPresent();
        assertThat(await(store.batch(b.digest()))).isEmpty();
        assertThat(await(store.batch(keep.digest()))).isPresent();

        // A window of one transaction no longer needs it; pruning again is idempotent otherwise.
        assertThat(await(store.pruneHistory(3, 2, 3, 1))).isEqualTo(new PrunedHistory(0, 0, 0, 0, 0, 1));
        assertThat(await(store.commitTransactions(1, 10))).containsExactly(third);
        assertThat(await(store.pruneHistory(3, 2, 3, 1)).rows()).isZero();
    }
}
