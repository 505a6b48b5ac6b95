package dev.shoal.sequencer.core.consensus;

import dev.shoal.sequencer.core.codec.CanonicalReader;
import dev.shoal.sequencer.core.codec.CanonicalWriter;
import dev.shoal.sequencer.core.codec.CodecException;
import dev.shoal.sequencer.core.codec.Encodable;
import dev.shoal.sequencer.core.types.Digest;
import java.util.List;

/**
 * Everything the ordering remembers besides the DAG itself, as plain immutable data: with it and the
 * DAG window at and above the GC round ({@code lastAnchorRound - gcDepth}), {@link Consensus#restore}
 * resumes exactly as an uninterrupted instance would.
 *
 * @param lastCommitIndex     index of the last committed sub-DAG (0: none)
 * @param lastAnchorRound     round of the last committed anchor (0: none; the next candidate is this + 1)
 * @param lastCommittedRounds per validator, the highest round of its certificates ordered so far
 * @param recentAnchors       committed anchors still inside the GC window, ascending by round (reputation
 *                            votes are counted against them)
 * @param reputation          the leader reputation state
 * @param recentBatches       the batch digests the last commits output, oldest first, at most the
 *                            configured batch window: a batch listed again while it is here is skipped
 */
public record ConsensusState(long lastCommitIndex, long lastAnchorRound, List<Long> lastCommittedRounds,
                             List<CommittedAnchor> recentAnchors, ReputationState reputation,
                             List<Digest> recentBatches) implements Encodable {

    /** A committed anchor's round and author. */
    public record CommittedAnchor(long round, int author) {}

    public ConsensusState {
        if (lastCommitIndex < 0 || lastAnchorRound < 0) throw new IllegalArgumentException("negative index or round");
        lastCommittedRounds = List.copyOf(lastCommittedRounds);
        recentAnchors = List.copyOf(recentAnchors);
        recentBatches = List.copyOf(recentBatches);
        if (lastCommittedRounds.size() != reputation.size()) {
            throw new IllegalArgumentException("per-validator rounds and reputation disagree on the committee size");
        }
        for (int i = 1; i < recentAnchors.size(); i++) {
            if (recentAnchors.get(i - 1).round() >= recentAnchors.get(i).round()) {
                throw new IllegalArgumentException("recent anchors must be ascending by round");
            }
        }
    }

    /** The state before any commit. */
    public static ConsensusState initial(int committeeSize, ConsensusConfig config) {
        return new ConsensusState(0, 0, java.util.Collections.nCopies(committeeSize, 0L), List.of(),
                ReputationState.initial(committeeSize, config), List.of());
    }

    /**
     * The state after one more commit, from what the commit log stores of it: the same value
     * {@link Consensus#state()} has after committing it. A validator can so derive its state at any
     * commit index from an earlier state and the commit log alone (no certificates), which is how
     * peers vouch for the state a joining validator installs from a checkpoint.
     *
     * @param index               the commit's index: must be {@code lastCommitIndex + 1}
     * @param lastCommittedRounds per validator, the highest round ordered after this commit
     * @param anchorVoters        reputation input: validators whose certificates voted for the previous anchor
     * @param skippedAnchors      reputation input: anchor slots this commit passed over
     * @param batches             the batch digests the commit output (after skipping duplicates)
     */
    public ConsensusState afterCommit(long index, long anchorRound, int anchorAuthor, List<Long> lastCommittedRounds,
                                      List<Integer> anchorVoters, List<CommittedSubDag.SkippedAnchor> skippedAnchors,
                                      List<Digest> batches, ConsensusConfig config) {
        if (index != lastCommitIndex + 1) {
            throw new IllegalArgumentException("commit " + index + " does not follow commit " + lastCommitIndex);
        }
        if (anchorRound <= lastAnchorRound) {
            throw new IllegalArgumentException("anchor round " + anchorRound + " is not above " + lastAnchorRound);
        }
        if (lastCommittedRounds.size() != this.lastCommittedRounds.size()) {
            throw new IllegalArgumentException("per-validator rounds of another committee size");
        }
        long oldest = Math.max(0, anchorRound - config.gcDepth()) - 1;
        List<CommittedAnchor> anchors = new java.util.ArrayList<>(recentAnchors.size() + 1);
        for (CommittedAnchor a : recentAnchors) if (a.round() >= oldest) anchors.add(a);
        anchors.add(new CommittedAnchor(anchorRound, anchorAuthor));
        return new ConsensusState(index, anchorRound, lastCommittedRounds, anchors,
                reputation.record(anchorVoters, skippedAnchors, config),
                BatchWindow.appended(recentBatches, batches, config.batchWindow()));
    }

    /** The digest of the canonical encoding: equal states have equal digests on every validator. */
    public dev.shoal.sequencer.core.types.Digest digest() {
        return dev.shoal.sequencer.core.types.Digest.sha256("shoal/consensus-state", toBytes());
    }

    @Override
    public void encode(CanonicalWriter out) {
        out.u64(lastCommitIndex).u64(lastAnchorRound);
        out.list(lastCommittedRounds, CanonicalWriter::u64);
        out.list(recentAnchors, (w, a) -> w.u64(a.round()).u32(a.author()));
        reputation.encode(out);
        out.list(recentBatches, (w, d) -> d.encode(w));
    }

    public static ConsensusState decode(CanonicalReader in) {
        long index = in.u64NonNegative("last commit index");
        long round = in.u64NonNegative("last anchor round");
        List<Long> rounds = in.list(r -> r.u64NonNegative("last committed round"), 8);
        List<CommittedAnchor> anchors = in.list(r -> new CommittedAnchor(r.u64NonNegative("anchor round"),
                r.u32AsInt("anchor author")), 12);
        ReputationState reputation = ReputationState.decode(in);
        List<Digest> batches = in.list(Digest::decode, Digest.LENGTH);
        try {
            return new ConsensusState(index, round, rounds, anchors, reputation, batches);
        } catch (IllegalArgumentException e) {
            throw new CodecException("invalid consensus state: " + e.getMessage());
        }
    }
}
