package dev.shoal.sequencer.storage.memory;

import dev.shoal.sequencer.core.types.Batch;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.storage.BatchSummary;
import dev.shoal.sequencer.storage.CertificateQuery;
import dev.shoal.sequencer.storage.CheckpointRecord;
import dev.shoal.sequencer.storage.CheckpointSummary;
import dev.shoal.sequencer.storage.CommitRecord;
import dev.shoal.sequencer.storage.CommitTransactions;
import dev.shoal.sequencer.storage.ConsensusMetadata;
import dev.shoal.sequencer.storage.PrunedHistory;
import dev.shoal.sequencer.storage.SafetyRecordConflictException;
import dev.shoal.sequencer.storage.SequencerStore;
import dev.shoal.sequencer.storage.StoredBatch;
import dev.shoal.sequencer.storage.StoredCertificate;
import dev.shoal.sequencer.core.validator.PersistRecord.VoteRecord;
import dev.shoal.sequencer.storage.WriteGroup;
import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The store in memory: for tests, the simulator-backed benchmarks and the "persistence off"
 * baseline. Same semantics as the PostgreSQL store (the shared contract test checks that).
 * One lock; every method is a short critical section.
 */
public final class InMemoryStore implements SequencerStore {
    private record Key(long round, int author) {}

    private static final Comparator<Key> KEY_ORDER = Comparator.comparingLong(Key::round).thenComparingInt(Key::author);

    private final Clock clock;
    private final Map<Digest, Certificate> certificates = new HashMap<>();
    private final TreeMap<Key, Digest> certificateByPosition = new TreeMap<>(KEY_ORDER);
    private final Map<Digest, Long> commitIndexByCertificate = new HashMap<>();
    private final Map<Digest, Batch> batches = new LinkedHashMap<>();
    private final Map<Digest, Digest> batchLinks = new HashMap<>();
    private final TreeMap<Key, Header> ownHeaders = new TreeMap<>(KEY_ORDER);
    private final TreeMap<Key, VoteRecord> votes = new TreeMap<>(KEY_ORDER);
    private final Map<Digest, Long> commitByAnchor = new HashMap<>();
    private final TreeMap<Long, CommitRecord> commits = new TreeMap<>();
    private final TreeMap<Long, CheckpointRecord> checkpoints = new TreeMap<>();
    private final TreeMap<Long, CommitTransactions> commitTransactions = new TreeMap<>();
    private final Instant startedAt;
    private long currentRound;
    private long highestCommittedRound;
    private long lastAnchorRound;
    private long totalCertificates;
    private long totalBatches;
    private long totalTransactions;
    private Instant updatedAt;

    public InMemoryStore() {
        this(Clock.systemUTC());
    }

    public InMemoryStore(Clock clock) {
        this.clock = clock;
        this.startedAt = clock.instant();
        this.updatedAt = startedAt;
    }

    @Override
    public synchronized Uni<Void> write(WriteGroup g) {
        String conflict = conflict(g);
        if (conflict != null) return Uni.createFrom().failure(new SafetyRecordConflictException(conflict));
        for (Certificate c : g.certificates()) {
            if (certificates.putIfAbsent(c.digest(), c) == null) {
                totalCertificates++;
                certificateByPosition.put(new Key(c.round(), c.author()), c.digest());
            }
        }
        for (Batch b : g.batches()) {
            if (batches.putIfAbsent(b.digest(), b) == null) {
                totalBatches++;
                totalTransactions += b.transactions().size();
            }
        }
        for (Map.Entry<Digest, Digest> link : g.batchLinks()) {
            if (batches.containsKey(link.getKey())) batchLinks.putIfAbsent(link.getKey(), link.getValue());
        }
        for (Header h : g.ownHeaders()) ownHeaders.putIfAbsent(new Key(h.round(), h.author()), h);
        for (VoteRecord v : g.votes()) votes.putIfAbsent(new Key(v.round(), v.author()), v);
        for (CommitRecord c : g.commits()) {
            if (commits.putIfAbsent(c.index(), c) == null) {
                commitByAnchor.put(c.anchorDigest(), c.index());
                for (Digest d : c.certificateDigests()) commitIndexByCertificate.putIfAbsent(d, c.index());
                highestCommittedRound = Math.max(highestCommittedRound, c.anchorRound());
                lastAnchorRound = Math.max(lastAnchorRound, c.anchorRound());
            }
        }
        currentRound = Math.max(currentRound, g.currentRound());
        lastAnchorRound = Math.max(lastAnchorRound, g.lastAnchorRound());
        updatedAt = clock.instant();
        return Uni.createFrom().voidItem();
    }

    /** What in the group contradicts a stored own header, vote or commit (checked before anything is applied). */
    private String conflict(WriteGroup g) {
        for (Header h : g.ownHeaders()) {
            Header held = ownHeaders.get(new Key(h.round(), h.author()));
            if (held != null && !held.digest().equals(h.digest())) {
                return "a different own header for author " + h.author() + " in round " + h.round() + " is already stored";
            }
        }
        for (VoteRecord v : g.votes()) {
            VoteRecord held = votes.get(new Key(v.round(), v.author()));
            if (held != null && !held.headerDigest().equals(v.headerDigest())) {
                return "a different vote for author " + v.author() + " in round " + v.round() + " is already stored";
            }
        }
        for (CommitRecord c : g.commits()) {
            CommitRecord held = commits.get(c.index());
            if (held != null && !held.anchorDigest().equals(c.anchorDigest())) {
                return "commit " + c.index() + " differs from the stored commit at that index";
            }
            Long other = commitByAnchor.get(c.anchorDigest());
            if (other != null && other != c.index()) {
                return "commit " + c.index() + "'s anchor is already stored as commit " + other;
            }
        }
        return null;
    }

    private StoredCertificate stored(Certificate c) {
        return new StoredCertificate(c, commitIndexByCertificate.getOrDefault(c.digest(), 0L));
    }

    @Override
    public synchronized Uni<Optional<StoredCertificate>> certificate(Digest digest) {
        return Uni.createFrom().item(Optional.ofNullable(certificates.get(digest)).map(this::stored));
    }

    @Override
    public synchronized Uni<List<StoredCertificate>> certificates(CertificateQuery q) {
        List<StoredCertificate> out = new ArrayList<>();
        for (Map.Entry<Key, Digest> e : certificateByPosition.entrySet()) {
            if (q.round().isPresent() && e.getKey().round() != q.round().get()) continue;
            if (q.author().isPresent() && e.getKey().author() != q.author().get()) continue;
            StoredCertificate s = stored(certificates.get(e.getValue()));
            if (q.committed().isPresent() && s.committed() != q.committed().get()) continue;
            out.add(s);
            if (out.size() >= q.limit()) break;
        }
        return Uni.createFrom().item(out);
    }

    @Override
    public synchronized Uni<List<Certificate>> certificatePage(long afterRound, int afterAuthor, int limit) {
        List<Certificate> out = new ArrayList<>();
        for (Digest d : certificateByPosition.tailMap(new Key(afterRound, afterAuthor), false).values()) {
            out.add(certificates.get(d));
            if (out.size() >= limit) break;
        }
        return Uni.createFrom().item(out);
    }

    @Override
    public synchronized Uni<Long> certificateCount() {
        return Uni.createFrom().item((long) certificates.size());
    }

    @Override
    public synchronized Uni<List<StoredCertificate>> certificatesByDigest(List<Digest> digests) {
        List<StoredCertificate> out = new ArrayList<>();
        for (Digest d : digests) {
            Certificate c = certificates.get(d);
            if (c != null) out.add(stored(c));
        }
        return Uni.createFrom().item(out);
    }

    @Override
    public synchronized Uni<List<StoredBatch>> batchesByDigest(List<Digest> digests) {
        List<StoredBatch> out = new ArrayList<>();
        for (Digest d : digests) if (batches.containsKey(d)) out.add(storedBatch(d));
        return Uni.createFrom().item(out);
    }

    private StoredBatch storedBatch(Digest d) {
        return new StoredBatch(d, batches.get(d), Optional.ofNullable(batchLinks.get(d)));
    }

    @Override
    public synchronized Uni<Optional<StoredBatch>> batch(Digest digest) {
        return Uni.createFrom().item(batches.containsKey(digest) ? Optional.of(storedBatch(digest)) : Optional.empty());
    }

    @Override
    public synchronized Uni<List<BatchSummary>> batches(Optional<Integer> author, boolean unreferencedOnly, int limit) {
        List<BatchSummary> out = new ArrayList<>();
        for (Digest d : batches.keySet()) {
            StoredBatch s = storedBatch(d);
            if (author.isPresent() && s.batch().author() != author.get()) continue;
            if (unreferencedOnly && s.certificateDigest().isPresent()) continue;
            out.add(s.summary());
            if (out.size() >= limit) break;
        }
        return Uni.createFrom().item(out);
    }

    @Override
    public synchronized Uni<List<StoredBatch>> unreferencedBatches(int author, int limit) {
        List<StoredBatch> out = new ArrayList<>();
        for (Digest d : batches.keySet()) {
            if (batches.get(d).author() == author && !batchLinks.containsKey(d)) out.add(storedBatch(d));
            if (out.size() >= limit) break;
        }
        return Uni.createFrom().item(out);
    }

    @Override
    public synchronized Uni<List<Header>> ownHeaders(long fromRound) {
        List<Header> out = new ArrayList<>();
        for (Header h : ownHeaders.values()) if (h.round() >= fromRound) out.add(h);
        return Uni.createFrom().item(out);
    }

    @Override
    public synchronized Uni<List<VoteRecord>> votes(long fromRound) {
        return Uni.createFrom().item(votes.values().stream().filter(v -> v.round() >= fromRound).toList());
    }

    @Override
    public synchronized Uni<List<CommitRecord>> commits(long fromIndex, int limit) {
        return Uni.createFrom().item(commits.tailMap(fromIndex, true).values().stream().limit(limit).toList());
    }

    @Override
    public synchronized Uni<Long> lastCommitIndex() {
        return Uni.createFrom().item(commits.isEmpty() ? 0L : commits.lastKey());
    }

    @Override
    public synchronized Uni<Void> saveCommitTransactions(List<CommitTransactions> rows) {
        for (CommitTransactions r : rows) commitTransactions.putIfAbsent(r.commitIndex(), r);
        return Uni.createFrom().voidItem();
    }

    @Override
    public synchronized Uni<List<CommitTransactions>> commitTransactions(long fromIndex, int limit) {
        return Uni.createFrom().item(commitTransactions.tailMap(fromIndex, true).values().stream().limit(limit).toList());
    }

    @Override
    public synchronized Uni<Long> deleteCommitTransactionsAbove(long index) {
        var above = commitTransactions.tailMap(index, false);
        long n = above.size();
        above.clear();
        return Uni.createFrom().item(n);
    }

    @Override
    public synchronized Uni<Long> lastCommitTransactionsIndex() {
        return Uni.createFrom().item(commitTransactions.isEmpty() ? 0L : commitTransactions.lastKey());
    }

    @Override
    public synchronized Uni<List<CommitTransactions>> commitTransactionsTail(long upToCommit, long transactions) {
        var upTo = commitTransactions.headMap(upToCommit, true);
        if (upTo.isEmpty()) return Uni.createFrom().item(List.of());
        long above = upTo.lastEntry().getValue().outputEnd() - transactions;
        return Uni.createFrom().item(upTo.values().stream().filter(r -> r.outputEnd() > above).toList());
    }

    @Override
    public synchronized Uni<Void> saveCheckpoint(CheckpointRecord checkpoint) {
        checkpoints.put(checkpoint.round(), checkpoint);
        return Uni.createFrom().voidItem();
    }

    @Override
    public synchronized Uni<Optional<CheckpointRecord>> latestCheckpoint() {
        return Uni.createFrom().item(checkpoints.isEmpty() ? Optional.empty() : Optional.of(checkpoints.lastEntry().getValue()));
    }

    @Override
    public synchronized Uni<Optional<CheckpointRecord>> latestCheckpointUpTo(long commitIndex) {
        for (CheckpointRecord c : checkpoints.descendingMap().values()) {
            if (c.commitIndex() <= commitIndex) return Uni.createFrom().item(Optional.of(c));
        }
        return Uni.createFrom().item(Optional.empty());
    }

    @Override
    public synchronized Uni<List<CheckpointSummary>> checkpoints() {
        return Uni.createFrom().item(checkpoints.descendingMap().values().stream().map(CheckpointRecord::summary).toList());
    }

    @Override
    public synchronized Uni<Integer> pruneCheckpoints(int keep) {
        int removed = 0;
        while (checkpoints.size() > Math.max(keep, 0)) {
            checkpoints.pollFirstEntry();
            removed++;
        }
        return Uni.createFrom().item(removed);
    }

    @Override
    public synchronized Uni<PrunedHistory> pruneHistory(long belowCommit, long belowRound, long windowCommit, long windowTransactions) {
        long certificatesRemoved = 0;
        long batchesRemoved = 0;
        var below = certificateByPosition.headMap(new Key(belowRound, 0), false);
        for (Digest d : new ArrayList<>(below.values())) {
            Certificate c = certificates.remove(d);
            commitIndexByCertificate.remove(d);
            for (Digest b : c.header().batchDigests()) {
                if (d.equals(batchLinks.get(b))) {
                    batches.remove(b);
                    batchLinks.remove(b);
                    batchesRemoved++;
                }
            }
            certificatesRemoved++;
        }
        below.clear();
        var headers = ownHeaders.headMap(new Key(belowRound, 0), false);
        long headersRemoved = headers.size();
        headers.clear();
        var oldVotes = votes.headMap(new Key(belowRound, 0), false);
        long votesRemoved = oldVotes.size();
        oldVotes.clear();
        var oldCommits = commits.headMap(belowCommit, false);
        long commitsRemoved = oldCommits.size();
        oldCommits.clear();
        // As on PostgreSQL: keep the rows the window after windowCommit needs, drop the empty ones.
        var upTo = commitTransactions.headMap(windowCommit, true);
        long windowStart = upTo.isEmpty() ? Long.MIN_VALUE : upTo.lastEntry().getValue().outputEnd() - windowTransactions;
        long rowsRemoved = 0;
        for (var it = commitTransactions.headMap(belowCommit, false).values().iterator(); it.hasNext(); ) {
            CommitTransactions r = it.next();
            if (r.output().isEmpty() || r.outputEnd() <= windowStart) {
                it.remove();
                rowsRemoved++;
            }
        }
        return Uni.createFrom().item(new PrunedHistory(certificatesRemoved, batchesRemoved, headersRemoved, votesRemoved, commitsRemoved, rowsRemoved));
    }

    @Override
    public synchronized Uni<Long> lastCommitBefore(Instant instant) {
        long last = 0;
        for (CommitRecord r : commits.values()) {
            if (r.committedAt() == null || !r.committedAt().isBefore(instant)) break;
            last = r.index();
        }
        return Uni.createFrom().item(last);
    }

    @Override
    public Uni<Boolean> reclaimsSpaceItself() {
        return Uni.createFrom().item(true); // the heap: the garbage collector does
    }

    @Override
    public Uni<Void> reclaimSpace() {
        return Uni.createFrom().voidItem();
    }

    @Override
    public synchronized Uni<ConsensusMetadata> metadata() {
        Optional<CheckpointRecord> last = checkpoints.isEmpty() ? Optional.empty() : Optional.of(checkpoints.lastEntry().getValue());
        return Uni.createFrom().item(new ConsensusMetadata(0, currentRound, highestCommittedRound, lastAnchorRound,
                commits.isEmpty() ? 0 : commits.lastKey(), totalCertificates, totalBatches, totalTransactions,
                commits.size(), last.map(CheckpointRecord::round), last.map(CheckpointRecord::createdAt),
                startedAt, updatedAt));
    }
}
