package dev.shoal.sequencer.recovery;

import dev.shoal.sequencer.checkpoint.CheckpointBody;
import dev.shoal.sequencer.checkpoint.CheckpointCodec;
import dev.shoal.sequencer.checkpoint.CheckpointException;
import dev.shoal.sequencer.core.consensus.ConsensusState;
import dev.shoal.sequencer.storage.CheckpointRecord;
import dev.shoal.sequencer.core.consensus.ConsensusConfig;
import dev.shoal.sequencer.core.crypto.KeyPair;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.core.validator.PersistRecord;
import dev.shoal.sequencer.core.validator.ValidatorConfig;
import dev.shoal.sequencer.core.validator.ValidatorStateMachine;
import dev.shoal.sequencer.core.validator.Verifier;
import dev.shoal.sequencer.storage.WriteGroupMapper;
import dev.shoal.sequencer.storage.CommitLogCodec;
import dev.shoal.sequencer.storage.CertificatePages;
import dev.shoal.sequencer.storage.CommitRecord;
import dev.shoal.sequencer.storage.SequencerStore;
import dev.shoal.sequencer.storage.StoredBatch;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Start-up recovery (docs/recovery.md): rebuilds the validator state machine from what the store holds.
 * Blocking; runs on a worker thread while the node reports not started.
 *
 * <p>FROM_SCRATCH streams every certificate in (round, author) order and replays them through
 * the DAG and the consensus; the state machine's restore checks that the replayed commit sequence
 * starts with the stored commit log (a crash may have lost trailing commits: they are derived
 * again and written on the first step). Signatures are not re-verified: every stored certificate
 * was verified before it was stored. The replay consumes each page while the store reads and
 * decodes the next ({@link ReplayFeed}), and reads that do not depend on each other run at once,
 * so a start-up is bounded by the slower of the database and the replay rather than their sum.
 */
public final class Recovery {
    private static final Logger LOG = Logger.getLogger(Recovery.class);
    private static final Duration T = Duration.ofMinutes(10);

    private final SequencerStore store;
    private final Committee committee;
    private final int self;
    private final KeyPair key;
    private final ConsensusConfig consensusConfig;
    private final ValidatorConfig validatorConfig;
    private final int pageSize;
    private final long maxCheckpointBytes;

    public Recovery(SequencerStore store, Committee committee, int self, KeyPair key, ConsensusConfig consensusConfig,
                    ValidatorConfig validatorConfig, int pageSize, long maxCheckpointBytes) {
        this.maxCheckpointBytes = maxCheckpointBytes;
        this.store = store;
        this.committee = committee;
        this.self = self;
        this.key = key;
        this.consensusConfig = consensusConfig;
        this.validatorConfig = validatorConfig;
        this.pageSize = pageSize;
    }

    public RecoveredNode run(RecoveryStrategy strategy) {
        long started = System.nanoTime();
        if (strategy == RecoveryStrategy.FROM_SCRATCH) return fromScratch(strategy, started, Optional.empty());
        Optional<CheckpointRecord> candidate = store.latestCheckpoint().await().atMost(T);
        if (candidate.isEmpty() && store.certificateCount().await().atMost(T) == 0) {
            // A fresh node: nothing to recover, a checkpoint strategy is trivially satisfied.
            return fromScratch(strategy, started, Optional.empty());
        }
        // Newest first; an unusable one (corrupt, or inconsistent with the records) makes way for
        // the next older one: FROM_SCRATCH is the last resort, and impossible once history is pruned.
        List<String> refused = new ArrayList<>();
        if (candidate.isEmpty()) refused.add("no checkpoint is stored");
        while (candidate.isPresent()) {
            CheckpointRecord record = candidate.get();
            try {
                return fromCheckpoint(strategy, started, record);
            } catch (CheckpointUnusable e) {
                refused.add(e.getMessage());
                candidate = record.commitIndex() < 1 ? Optional.empty()
                        : store.latestCheckpointUpTo(record.commitIndex() - 1).await().atMost(T);
                candidate.ifPresent(older -> LOG.warnf("Recovery: not using the checkpoint at round %d (%s); trying the older"
                        + " checkpoint at round %d", record.round(), e.getMessage(), older.round()));
            }
        }
        String why = String.join("; ", refused);
        if (strategy == RecoveryStrategy.FROM_CHECKPOINT) {
            throw new RecoveryException("FROM_CHECKPOINT recovery is impossible: " + why + " (use HYBRID or FROM_SCRATCH)");
        }
        LOG.warnf("Recovery: not using a checkpoint (%s); falling back to FROM_SCRATCH", why);
        return fromScratch(strategy, System.nanoTime(), Optional.of(why));
    }

    /** Why the checkpoint path cannot be used; HYBRID falls back, FROM_CHECKPOINT fails. */
    static final class CheckpointUnusable extends RuntimeException {
        CheckpointUnusable(String message) {
            super(message, null, false, false);
        }
    }

    private RecoveredNode fromCheckpoint(RecoveryStrategy requested, long started, CheckpointRecord record) {
        Steps steps = new Steps();
        // The first page of certificates above the window is asked for now, at the GC round the
        // row states, while the body is decompressed and decoded here (asked again below if the
        // verified body disagrees). The other reads stay one after another: on a cold JVM reads
        // started together open more connections and come back later than the same reads in turn.
        long guessedGc = record.gcRound();
        Iterator<List<Certificate>> pagesAbove = CertificatePages.from(store, guessedGc, pageSize, T);
        CheckpointBody body;
        try {
            body = CheckpointCodec.open(record, maxCheckpointBytes);
        } catch (CheckpointException e) {
            throw new CheckpointUnusable("checkpoint at round " + record.round() + " is corrupt: " + e.getMessage());
        }
        if (body.epoch() != committee.epoch()) {
            throw new CheckpointUnusable("checkpoint at round " + record.round() + " is of epoch " + body.epoch()
                    + ", the committee is epoch " + committee.epoch());
        }
        ConsensusState state = body.state();
        if (state.lastCommittedRounds().size() != committee.size()) {
            throw new CheckpointUnusable("checkpoint at round " + record.round() + " is for a committee of "
                    + state.lastCommittedRounds().size() + ", this committee has " + committee.size());
        }
        steps.lap("checkpoint opened");
        long gc = body.gcRound(consensusConfig.gcDepth());
        LOG.infof("Recovery FROM_CHECKPOINT: checkpoint at round %d (commit %d, %d certificates in its window, GC round %d)",
                record.round(), state.lastCommitIndex(), body.window().size(), gc);

        if (guessedGc != gc) pagesAbove = CertificatePages.from(store, gc, pageSize, T);

        List<PersistRecord> after = new ArrayList<>();
        List<Header> ownHeaders = store.ownHeaders(gc).await().atMost(T);
        for (Header h : ownHeaders) after.add(new PersistRecord.OwnHeaderRecord(h));
        after.addAll(store.votes(gc).await().atMost(T));
        steps.lap("safety records");
        Map<Digest, Certificate> byDigest = new HashMap<>();
        for (Certificate c : body.window()) byDigest.put(c.digest(), c);
        long[] loaded = {body.window().size()};
        long[] highest = {body.round()};
        pagesAbove.forEachRemaining(page -> {
            for (Certificate c : page) {
                if (byDigest.putIfAbsent(c.digest(), c) == null) {
                    after.add(new PersistRecord.CertificateRecord(c));
                    loaded[0]++;
                    highest[0] = Math.max(highest[0], c.round());
                }
            }
        });
        steps.lap("certificates above the window");
        long lastStored = store.lastCommitIndex().await().atMost(T);
        // A validator that joined from a peer's checkpoint holds no commit at or below it: its log
        // starts right after the checkpoint (or is still empty).
        long firstStored = firstStoredCommit();
        boolean empty = firstStored == Long.MAX_VALUE;
        boolean joined = state.lastCommitIndex() > 0 && (empty || firstStored == state.lastCommitIndex() + 1);
        if (!empty && firstStored > state.lastCommitIndex() + 1) {
            throw new CheckpointUnusable("checkpoint at round " + record.round() + " covers commit " + state.lastCommitIndex()
                    + " but the commit log starts at " + firstStored);
        }
        if (!joined && lastStored < state.lastCommitIndex()) {
            throw new CheckpointUnusable("checkpoint at round " + record.round() + " covers commit " + state.lastCommitIndex()
                    + " but the commit log ends at " + lastStored);
        }
        if (joined) LOG.infof("Recovery: the commit log starts after the checkpoint's commit %d (this validator joined from a peer's checkpoint)",
                state.lastCommitIndex());
        List<CommitRecord> log = commitLog(joined ? state.lastCommitIndex() + 1 : Math.max(1, state.lastCommitIndex()));
        if (state.lastCommitIndex() > 0 && !joined) {
            CommitRecord base = log.get(0);
            var anchors = state.recentAnchors();
            var lastAnchor = anchors.isEmpty() ? null : anchors.get(anchors.size() - 1);
            if (lastAnchor == null || base.anchorRound() != lastAnchor.round() || base.anchorAuthor() != lastAnchor.author()) {
                throw new CheckpointUnusable("checkpoint at round " + record.round() + " disagrees with the commit log at index "
                        + state.lastCommitIndex());
            }
        }
        steps.lap("commit log");
        long[] lastRounds = state.lastCommittedRounds().stream().mapToLong(Long::longValue).toArray();
        for (CommitRecord r : log) {
            if (r.index() <= state.lastCommitIndex()) continue;
            try {
                after.add(new PersistRecord.CommittedSubDagRecord(CommitLogCodec.toSubDag(r, byDigest::get)));
            } catch (RuntimeException e) {
                throw new CheckpointUnusable("stored commit " + r.index() + " cannot be rebuilt from the checkpoint window: " + e.getMessage());
            }
            lastRounds = CommitLogCodec.lastCommittedRounds(r);
        }
        ValidatorStateMachine core;
        try {
            core = ValidatorStateMachine.restoreFromCheckpoint(committee, self, key, consensusConfig, validatorConfig,
                    Verifier.DIRECT, state, body.window(), after);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new CheckpointUnusable("checkpoint at round " + record.round() + " is inconsistent with the stored records: " + e.getMessage());
        }
        steps.lap("replay");
        long lastIndex = Math.max(lastStored, state.lastCommitIndex());
        List<Digest> unproposed = unproposedBatches(ownHeaders);
        steps.lap("unproposed batches");
        LOG.infof("Recovery FROM_CHECKPOINT steps: %s", steps);
        long ms = (System.nanoTime() - started) / 1_000_000;
        RecoveryResult result = new RecoveryResult(requested, RecoveryStrategy.FROM_CHECKPOINT, Optional.of(record.round()),
                loaded[0], Math.max(0, log.size() - (state.lastCommitIndex() > 0 && !joined ? 1 : 0)), highest[0], lastIndex, ms,
                Optional.empty());
        // A validator that joined and has since taken checkpoints of its own still lacks what precedes its log.
        long firstHeld = empty ? (state.lastCommitIndex() > 0 ? state.lastCommitIndex() + 1 : 1) : firstStored;
        return new RecoveredNode(core, new WriteGroupMapper(lastRounds), lastIndex, unproposed, result, firstHeld);
    }

    private RecoveredNode fromScratch(RecoveryStrategy requested, long started, Optional<String> fallback) {
        Steps steps = new Steps();
        long firstStored = firstStoredCommit();
        if (firstStored > 1 && firstStored != Long.MAX_VALUE) {
            throw new RecoveryException("the commit log starts at commit " + firstStored + " (this validator joined from a peer's"
                    + " checkpoint, or pruned its history): FROM_SCRATCH needs the whole history; recover FROM_CHECKPOINT, or empty"
                    + " the database to join again");
        }
        // The first certificate page (the head of the critical path) is asked for at once; the
        // small reads follow one after another (on a cold JVM, reads started together open more
        // connections and finish later than the same reads in turn). The commit log is read on a
        // worker while the certificates stream into the replay.
        Iterator<List<Certificate>> pages = CertificatePages.from(store, 1, pageSize, T);
        long total = store.certificateCount().await().atMost(T);
        LOG.infof("Recovery FROM_SCRATCH: replaying %d stored certificates", total);
        long safetyFrom = safetyRecordsFrom();
        List<Header> ownHeaders = store.ownHeaders(safetyFrom).await().atMost(T);
        List<PersistRecord> safety = new ArrayList<>();
        for (Header h : ownHeaders) safety.add(new PersistRecord.OwnHeaderRecord(h));
        safety.addAll(store.votes(safetyFrom).await().atMost(T));
        CompletableFuture<List<CommitRecord>> storedLog = CompletableFuture.supplyAsync(() -> commitLog(1),
                Infrastructure.getDefaultWorkerPool());
        steps.lap("count and safety records");
        List<CommitRecord> log = new ArrayList<>();
        ReplayFeed feed = new ReplayFeed(safety, pages, byDigest -> {
            try {
                log.addAll(await(storedLog));
            } catch (RuntimeException e) {
                throw new ReplayFeed.ReadFailure(e);
            }
            return rebuildCommits(log, byDigest, 2_000);
        }, total, started);
        ValidatorStateMachine core;
        try {
            core = ValidatorStateMachine.restore(committee, self, key, consensusConfig, validatorConfig, Verifier.DIRECT, feed);
        } catch (ReplayFeed.ReadFailure e) {
            throw (RuntimeException) e.getCause();
        } catch (IllegalStateException e) {
            throw new RecoveryException("stored state is inconsistent: " + e.getMessage(), e);
        }
        steps.lap("replay of streamed certificates");
        steps.add("of which waiting for certificate pages", feed.waitedForPagesNanos());
        steps.add("of which waiting for and rebuilding the stored commits", feed.trailingNanos());
        long[] lastRounds = log.isEmpty() ? new long[committee.size()] : CommitLogCodec.lastCommittedRounds(log.get(log.size() - 1));
        long lastStored = log.isEmpty() ? 0 : log.get(log.size() - 1).index();
        List<Digest> unproposed = unproposedBatches(ownHeaders);
        steps.lap("unproposed batches");
        LOG.infof("Recovery FROM_SCRATCH steps: %s", steps);
        long ms = (System.nanoTime() - started) / 1_000_000;
        RecoveryResult result = new RecoveryResult(requested, RecoveryStrategy.FROM_SCRATCH, Optional.empty(),
                feed.certificatesLoaded(), log.size(), feed.highestRound(), lastStored, ms, fallback);
        return new RecoveredNode(core, new WriteGroupMapper(lastRounds), lastStored, unproposed, result, 1);
    }

    /** Index of the first stored commit; {@code Long.MAX_VALUE} when the log is empty. */
    private long firstStoredCommit() {
        List<CommitRecord> first = store.commits(1, 1).await().atMost(T);
        return first.isEmpty() ? Long.MAX_VALUE : first.get(0).index();
    }

    /**
     * The stored commits as the replay's commit records, rebuilt from the loaded certificates.
     * The first half is rebuilt on a worker while this thread does the second (the certificate map
     * is only read from here on): the replay waits for this step, and it is the one part of the
     * tail of a replay that can use a second core. A failure names the lowest failing commit.
     *
     * @param splitFrom the smallest log that is split in two
     */
    static List<PersistRecord> rebuildCommits(List<CommitRecord> log, Map<Digest, Certificate> byDigest, int splitFrom) {
        int half = log.size() < splitFrom ? 0 : log.size() / 2;
        CompletableFuture<List<PersistRecord>> first = half == 0 ? CompletableFuture.completedFuture(List.of())
                : CompletableFuture.supplyAsync(() -> rebuild(log.subList(0, half), byDigest), Infrastructure.getDefaultWorkerPool());
        List<PersistRecord> second;
        try {
            second = rebuild(log.subList(half, log.size()), byDigest);
        } catch (RecoveryException e) {
            await(first); // its failure, if any, is the lower commit index
            throw e;
        }
        List<PersistRecord> all = new ArrayList<>(log.size());
        all.addAll(await(first));
        all.addAll(second);
        return all;
    }

    private static List<PersistRecord> rebuild(List<CommitRecord> log, Map<Digest, Certificate> byDigest) {
        List<PersistRecord> out = new ArrayList<>(log.size());
        for (CommitRecord r : log) {
            try {
                out.add(new PersistRecord.CommittedSubDagRecord(CommitLogCodec.toSubDag(r, byDigest::get)));
            } catch (RuntimeException e) {
                throw new RecoveryException("stored commit " + r.index() + " cannot be rebuilt: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** The value of a read started earlier; its failure is rethrown as is, as a blocking read would. */
    private static <V> V await(CompletableFuture<V> read) {
        return Uni.createFrom().completionStage(read).await().atMost(T);
    }


    /**
     * First round whose own headers and vote records the replay needs: the GC round of the last
     * stored commit, as on the checkpoint path. Headers below the GC round are rejected as stale
     * before any vote record is consulted, so older safety records can never matter again; a crash
     * that lost trailing commits only raises the replay's GC round above this one. Reading from
     * here instead of round 0 keeps FROM_SCRATCH from loading every vote ever cast (about
     * (n-1) x rounds rows).
     */
    private long safetyRecordsFrom() {
        long last = store.lastCommitIndex().await().atMost(T);
        if (last == 0) return 0;
        List<CommitRecord> r = store.commits(last, 1).await().atMost(T);
        if (r.isEmpty()) return 0;
        return Math.max(0, r.get(0).anchorRound() - consensusConfig.gcDepth());
    }

    private List<CommitRecord> commitLog(long from) {
        List<CommitRecord> all = new ArrayList<>();
        long next = from;
        while (true) {
            List<CommitRecord> page = store.commits(next, pageSize).await().atMost(T);
            for (CommitRecord r : page) {
                if (r.index() != next) {
                    throw new RecoveryException("commit log has a gap: expected index " + next + ", found " + r.index());
                }
                all.add(r);
                next++;
            }
            if (page.size() < pageSize) return all;
        }
    }

    /**
     * Our durable batches that no stored certificate references and that our latest header does not
     * carry (the restarted core re-sends that header, which may still be certified). Batches of older
     * uncertified headers are proposed again: those headers can no longer be certified.
     */
    private List<Digest> unproposedBatches(List<Header> ownHeaders) {
        Set<Digest> inHeaders = new HashSet<>();
        long latest = -1;
        for (Header h : ownHeaders) {
            if (h.round() > latest) {
                latest = h.round();
                inHeaders = new HashSet<>(h.batchDigests());
            }
        }
        List<Digest> out = new ArrayList<>();
        int limit = 100_000;
        for (StoredBatch b : store.unreferencedBatches(self, limit).await().atMost(T)) {
            if (!inHeaders.contains(b.digest())) out.add(b.digest());
        }
        return out;
    }
}
