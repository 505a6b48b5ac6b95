package dev.shoal.sequencer.storage;

import dev.shoal.sequencer.core.consensus.CommittedSubDag;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.validator.PersistRecord;
import java.time.Instant;
import java.util.List;

/**
 * Translates one step's {@link PersistRecord}s of the core into one store {@link WriteGroup}.
 * Stateful: it carries the per-author last committed rounds that each stored commit records
 * ({@link CommitLogCodec}). Not thread-safe: the consensus loop owns it.
 */
public final class WriteGroupMapper {
    private final long[] lastCommittedRounds;

    /** @param lastCommittedRounds per-author last committed rounds after the last stored commit */
    public WriteGroupMapper(long[] lastCommittedRounds) {
        this.lastCommittedRounds = lastCommittedRounds.clone();
    }

    public static WriteGroupMapper fresh(int committeeSize) {
        return new WriteGroupMapper(new long[committeeSize]);
    }

    public WriteGroup toWriteGroup(List<PersistRecord> records, Instant now) {
        WriteGroup g = new WriteGroup();
        for (PersistRecord r : records) {
            if (r instanceof PersistRecord.OwnHeaderRecord oh) {
                g.ownHeader(oh.header()).currentRound(oh.header().round());
            } else if (r instanceof PersistRecord.VoteRecord v) {
                g.vote(v);
            } else if (r instanceof PersistRecord.CertificateRecord c) {
                Certificate cert = c.certificate();
                g.certificate(cert).currentRound(cert.round());
                for (Digest b : cert.header().batchDigests()) g.batchLink(b, cert.digest());
            } else if (r instanceof PersistRecord.CommittedSubDagRecord cr) {
                g.commit(toCommitRecord(cr.subDag(), now)).lastAnchorRound(cr.subDag().anchorRound());
            }
        }
        return g;
    }

    CommitRecord toCommitRecord(CommittedSubDag s, Instant now) {
        for (Certificate c : s.certificates()) {
            lastCommittedRounds[c.author()] = Math.max(lastCommittedRounds[c.author()], c.round());
        }
        return CommitLogCodec.encode(s, lastCommittedRounds, now);
    }
}
