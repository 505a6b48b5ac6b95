package dev.shoal.sequencer.storage;

import dev.shoal.sequencer.core.codec.CanonicalReader;
import dev.shoal.sequencer.core.codec.CanonicalWriter;
import dev.shoal.sequencer.core.codec.Codec;
import dev.shoal.sequencer.core.consensus.CommittedSubDag;
import dev.shoal.sequencer.core.consensus.ConsensusConfig;
import dev.shoal.sequencer.core.consensus.ConsensusState;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The commit log's encoding. A commit is stored as digests plus its reputation inputs (anchor
 * voters, skipped anchors) and the per-author last committed rounds after it, so the log can be
 * checked against a replay, a {@link CommittedSubDag} rebuilt from it and the certificate table,
 * and the consensus state folded forward from a checkpoint (recovery, vouching for a joiner).
 */
public final class CommitLogCodec {
    private CommitLogCodec() {}

    /** The stored form of commit {@code s}; {@code lastCommittedRounds} are the per-author rounds after it. */
    public static CommitRecord encode(CommittedSubDag s, long[] lastCommittedRounds, Instant now) {
        CanonicalWriter rounds = new CanonicalWriter();
        rounds.list(Arrays.stream(lastCommittedRounds).boxed().toList(), CanonicalWriter::u64);
        Certificate anchor = s.anchor();
        return new CommitRecord(s.index(), anchor.digest(), anchor.round(), anchor.author(), s.digests(),
                rounds.toByteArray(), reputationInputs(s), s.batches(), now);
    }

    /** Canonical encoding of a commit's reputation inputs: anchor voters, then skipped anchors. */
    static byte[] reputationInputs(CommittedSubDag s) {
        CanonicalWriter w = new CanonicalWriter();
        w.list(s.anchorVoters(), (x, v) -> x.u32(v));
        w.list(s.skippedAnchors(), (x, a) -> x.u64(a.round()).u32(a.leader()));
        return w.toByteArray();
    }

    /** Decodes the per-author last committed rounds stored with a commit. */
    public static long[] lastCommittedRounds(CommitRecord r) {
        return Codec.decode(r.lastCommittedRounds(), in -> in.list(x -> x.u64NonNegative("round"), 8))
                .stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * Rebuilds the committed sub-DAG of a stored commit from the certificates it names.
     *
     * @throws IllegalStateException when a certificate is missing from the lookup
     */
    public static CommittedSubDag toSubDag(CommitRecord r, Function<Digest, Certificate> certificates) {
        List<Certificate> certs = new ArrayList<>(r.certificateDigests().size());
        for (Digest d : r.certificateDigests()) {
            Certificate c = certificates.apply(d);
            if (c == null) throw new IllegalStateException("commit " + r.index() + " names certificate " + d + " that is not stored");
            certs.add(c);
        }
        ReputationInputs inputs = reputationInputs(r);
        if (r.outputBatches() == null) return new CommittedSubDag(r.index(), certs, inputs.anchorVoters(), inputs.skippedAnchors());
        return new CommittedSubDag(r.index(), certs, inputs.anchorVoters(), inputs.skippedAnchors(), r.outputBatches());
    }

    /** A stored commit's reputation inputs. */
    public record ReputationInputs(List<Integer> anchorVoters, List<CommittedSubDag.SkippedAnchor> skippedAnchors) {}

    /** Decodes the reputation inputs stored with a commit. */
    public static ReputationInputs reputationInputs(CommitRecord r) {
        CanonicalReader in = new CanonicalReader(r.reputationInputs());
        List<Integer> voters = in.list(x -> x.u32AsInt("voter"), 4);
        List<CommittedSubDag.SkippedAnchor> skipped = in.list(
                x -> new CommittedSubDag.SkippedAnchor(x.u64NonNegative("round"), x.u32AsInt("leader")), 12);
        in.expectEnd();
        return new ReputationInputs(voters, skipped);
    }

    /**
     * The consensus state after stored commit {@code r}, from the state after the commit before it
     * ({@link ConsensusState#afterCommit}).
     */
    public static ConsensusState stateAfter(ConsensusState before, CommitRecord r, ConsensusConfig config) {
        ReputationInputs inputs = reputationInputs(r);
        List<Long> rounds = Arrays.stream(lastCommittedRounds(r)).boxed().toList();
        return before.afterCommit(r.index(), r.anchorRound(), r.anchorAuthor(), rounds, inputs.anchorVoters(),
                inputs.skippedAnchors(), r.outputBatches() == null ? List.of() : r.outputBatches(), config);
    }
}
