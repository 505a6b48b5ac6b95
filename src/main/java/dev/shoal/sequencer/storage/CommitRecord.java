package dev.shoal.sequencer.storage;

import dev.shoal.sequencer.core.types.Digest;
import java.time.Instant;
import java.util.List;

/**
 * One entry of the commit log as stored (safety rule 4): the committed sub-DAG's index, its
 * anchor, its certificates in commit order, and the consensus inputs that a replay must agree
 * with. Opaque byte fields are canonical encodings owned by the consensus core.
 *
 * @param index               gap-free commit index, from 1
 * @param anchorDigest        digest of the anchor certificate
 * @param anchorRound         round of the anchor
 * @param anchorAuthor        committee index of the anchor's author
 * @param certificateDigests  the committed certificates in order (the anchor among them)
 * @param lastCommittedRounds canonical encoding of the per-author last committed rounds after this commit
 * @param reputationInputs    canonical encoding of the reputation inputs of this commit
 * @param outputBatches       the batch digests this commit outputs, in order, after exactly-once output
 *                            skipped duplicates; null for a commit stored before the log recorded them
 *                            (it output each batch its certificates listed, once)
 * @param committedAt         wall-clock time the node committed it (informational)
 */
public record CommitRecord(long index, Digest anchorDigest, long anchorRound, int anchorAuthor,
                           List<Digest> certificateDigests, byte[] lastCommittedRounds, byte[] reputationInputs,
                           List<Digest> outputBatches, Instant committedAt) {
    public CommitRecord {
        if (index < 1) throw new IllegalArgumentException("commit index starts at 1, got " + index);
        if (certificateDigests.isEmpty()) throw new IllegalArgumentException("a commit holds at least its anchor");
        certificateDigests = List.copyOf(certificateDigests);
        if (outputBatches != null) outputBatches = List.copyOf(outputBatches);
        lastCommittedRounds = lastCommittedRounds.clone();
        reputationInputs = reputationInputs.clone();
    }

    /** Equality on content (records compare arrays by identity). */
    public boolean sameContent(CommitRecord o) {
        return index == o.index && anchorDigest.equals(o.anchorDigest) && anchorRound == o.anchorRound
                && anchorAuthor == o.anchorAuthor && certificateDigests.equals(o.certificateDigests)
                && java.util.Arrays.equals(lastCommittedRounds, o.lastCommittedRounds)
                && java.util.Arrays.equals(reputationInputs, o.reputationInputs)
                && java.util.Objects.equals(outputBatches, o.outputBatches);
    }

    /** The digests packed 32 bytes each, as the log stores a list of digests. */
    public static byte[] pack(List<Digest> digests) {
        byte[] out = new byte[Digest.LENGTH * digests.size()];
        for (int i = 0; i < digests.size(); i++) System.arraycopy(digests.get(i).toBytes(), 0, out, Digest.LENGTH * i, Digest.LENGTH);
        return out;
    }

    /** The digests of a packed list ({@link #pack}). */
    public static List<Digest> unpack(byte[] packed) {
        if (packed.length % Digest.LENGTH != 0) throw new IllegalArgumentException("a packed digest list of " + packed.length + " bytes");
        List<Digest> out = new java.util.ArrayList<>(packed.length / Digest.LENGTH);
        for (int i = 0; i < packed.length; i += Digest.LENGTH) {
            out.add(Digest.of(java.util.Arrays.copyOfRange(packed, i, i + Digest.LENGTH)));
        }
        return out;
    }
}
