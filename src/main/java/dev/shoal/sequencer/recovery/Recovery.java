package dev.shoal.sequencer.recovery;

import dev.shoal.sequencer.core.consensus.CommittedSubDag;
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
import dev.shoal.sequencer.driver.PersistMapper;
import dev.shoal.sequencer.storage.CommitRecord;
import dev.shoal.sequencer.storage.SequencerStore;
import dev.shoal.sequencer.storage.StoredBatch;
import dev.shoal.sequencer.storage.VoteRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Start-up recovery (DESIGN §5): rebuilds the validator state machine from what the store holds.
 * Blocking; runs on a worker thread while the node reports not started.
 *
 * <p>FROM_SCRATCH streams every certificate in (round, author) order and replays them through
 * the DAG and the consensus; the state machine's restore checks that the replayed commit sequence
 * starts with the stored commit log (a crash may have lost trailing commits: they are derived
 * again and written on the first step). Signatures are not re-verified: every stored certificate
 * was verified before it was stored.
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

    public Recovery(SequencerStore store, Committee committee, int self, KeyPair key, ConsensusConfig consensusConfig,
                    ValidatorConfig validatorConfig, int pageSize) {
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
        // Checkpoint strategies arrive with the checkpoint restore; until then HYBRID means FROM_SCRATCH.
        Optional<String> fallback = strategy == RecoveryStrategy.FROM_SCRATCH ? Optional.empty()
                : Optional.of("checkpoint restore is not available in this build");
        if (strategy == RecoveryStrategy.FROM_CHECKPOINT) {
            throw new RecoveryException("FROM_CHECKPOINT recovery is not available in this build");
        }
        return fromScratch(strategy, started, fallback);
    }

    private RecoveredNode fromScratch(RecoveryStrategy requested, long started, Optional<String> fallback) {
        long total = store.certificateCount().await().atMost(T);
        LOG.infof("Recovery FROM_SCRATCH: replaying %d stored certificates", total);
        List<PersistRecord> records = new ArrayList<>();
        for (Header h : store.ownHeaders(0).await().atMost(T)) records.add(new PersistRecord.OwnHeader(h));
        for (VoteRecord v : store.votes(0).await().atMost(T)) {
            records.add(new PersistRecord.VoteRecord(v.author(), v.round(), v.headerDigest()));
        }
        Map<Digest, Certificate> byDigest = new HashMap<>();
        long loaded = 0;
        long highest = 0;
        long round = 0;
        int author = Integer.MAX_VALUE; // skip round 0: genesis is implicit
        long lastLog = System.nanoTime();
        while (true) {
            List<Certificate> page = store.certificatePage(round, author, pageSize).await().atMost(T);
            if (page.isEmpty()) break;
            for (Certificate c : page) {
                records.add(new PersistRecord.CertificateRecord(c));
                byDigest.put(c.digest(), c);
                highest = Math.max(highest, c.round());
            }
            loaded += page.size();
            Certificate last = page.get(page.size() - 1);
            round = last.round();
            author = last.author();
            if (System.nanoTime() - lastLog > 1_000_000_000L) {
                double secs = (System.nanoTime() - started) / 1e9;
                LOG.infof("Recovery: loaded %d of %d certificates (%.0f%%, %.0f/s)", loaded, total,
                        total == 0 ? 100.0 : 100.0 * loaded / total, loaded / secs);
                lastLog = System.nanoTime();
            }
        }
        List<CommitRecord> log = commitLog();
        long[] lastRounds = new long[committee.size()];
        for (CommitRecord r : log) {
            try {
                records.add(new PersistRecord.CommitRecord(PersistMapper.toSubDag(r, byDigest::get)));
            } catch (RuntimeException e) {
                throw new RecoveryException("stored commit " + r.index() + " cannot be rebuilt: " + e.getMessage(), e);
            }
        }
        if (!log.isEmpty()) lastRounds = PersistMapper.lastCommittedRounds(log.get(log.size() - 1));
        ValidatorStateMachine core;
        try {
            core = ValidatorStateMachine.restore(committee, self, key, consensusConfig, validatorConfig, Verifier.DIRECT, records);
        } catch (IllegalStateException e) {
            throw new RecoveryException("stored state is inconsistent: " + e.getMessage(), e);
        }
        long lastStored = log.isEmpty() ? 0 : log.get(log.size() - 1).index();
        List<Digest> unproposed = unproposedBatches(records);
        long ms = (System.nanoTime() - started) / 1_000_000;
        RecoveryResult result = new RecoveryResult(requested, RecoveryStrategy.FROM_SCRATCH, Optional.empty(), loaded,
                log.size(), highest, lastStored, ms, fallback);
        return new RecoveredNode(core, new PersistMapper(lastRounds), lastStored, unproposed, result);
    }

    private List<CommitRecord> commitLog() {
        List<CommitRecord> all = new ArrayList<>();
        long next = 1;
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

    /** Our durable batches that neither a stored certificate nor one of our headers references. */
    private List<Digest> unproposedBatches(List<PersistRecord> records) {
        Set<Digest> inHeaders = new HashSet<>();
        for (PersistRecord r : records) {
            if (r instanceof PersistRecord.OwnHeader oh) inHeaders.addAll(oh.header().batchDigests());
        }
        List<Digest> out = new ArrayList<>();
        int limit = 100_000;
        for (StoredBatch b : store.unreferencedBatches(self, limit).await().atMost(T)) {
            if (!inHeaders.contains(b.digest())) out.add(b.digest());
        }
        return out;
    }

    /** Used by tests and tools: the commit sequence a store holds, rebuilt. */
    public static List<CommittedSubDag> storedCommits(List<CommitRecord> log, Map<Digest, Certificate> certificates) {
        List<CommittedSubDag> out = new ArrayList<>(log.size());
        for (CommitRecord r : log) out.add(PersistMapper.toSubDag(r, certificates::get));
        return out;
    }
}
