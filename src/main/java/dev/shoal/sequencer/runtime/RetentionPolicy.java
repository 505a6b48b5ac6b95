package dev.shoal.sequencer.runtime;

import dev.shoal.sequencer.config.SequencerConfig;
import dev.shoal.sequencer.storage.CheckpointSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Which history is beyond retention. A commit is pruned once it is beyond either limit (older than
 * {@code keepDuration}, or more than {@code keepCommits} behind the last commit), as a log is
 * pruned by time or size; never what recovery from the oldest kept checkpoint reads: that
 * checkpoint's commit (recovery checks the log against it) and the certificates from its GC round on.
 * Pure: the caller reads the store, this decides.
 *
 * @param archive      keep everything
 * @param keepDuration commits older than this are beyond retention; zero: no time limit
 * @param keepCommits  commits more than this behind the last are beyond retention; zero: no count limit
 */
public record RetentionPolicy(boolean archive, Duration keepDuration, long keepCommits) {

    /**
     * What to delete: commits below {@code belowCommit}, certificates (with their batches), own
     * headers and votes below {@code belowRound}.
     */
    public record Cut(long belowCommit, long belowRound) {}

    public RetentionPolicy {
        if (keepDuration.isNegative()) throw new IllegalArgumentException("sequencer.retention.keep-duration must not be negative, got " + keepDuration);
        if (keepCommits < 0) throw new IllegalArgumentException("sequencer.retention.keep-commits must not be negative, got " + keepCommits);
        if (!archive && keepDuration.isZero() && keepCommits == 0) {
            throw new IllegalArgumentException("sequencer.retention.keep-duration and sequencer.retention.keep-commits are both 0,"
                    + " which would keep everything: set sequencer.retention.archive=true for that, or give a limit");
        }
    }

    /** The policy of these settings; fails with the key named when they make no sense. */
    public static RetentionPolicy of(SequencerConfig.Retention settings) {
        if (settings.vacuumInterval().isNegative()) {
            throw new IllegalArgumentException("sequencer.retention.vacuum-interval must not be negative, got " + settings.vacuumInterval());
        }
        return new RetentionPolicy(settings.archive(), settings.keepDuration(), settings.keepCommits());
    }

    /** For the log: what this node keeps. */
    public String describe() {
        if (archive) return "archive: every commit, certificate and batch is kept (sequencer.retention.archive=true)";
        String time = keepDuration.isZero() ? "" : "older than " + brief(keepDuration);
        String count = keepCommits == 0 ? "" : "more than " + keepCommits + " commits behind the last";
        return "commits " + time + (time.isEmpty() || count.isEmpty() ? "" : " or ") + count
                + " are pruned with their certificates and batches after each checkpoint";
    }

    /** The instant before which commits are beyond the time limit, if there is one. */
    public Optional<Instant> timeCutoff(Instant now) {
        return archive || keepDuration.isZero() ? Optional.empty() : Optional.of(now.minus(keepDuration));
    }

    /**
     * The first commit to keep, or empty when nothing may go.
     *
     * @param lastCommit       the last stored commit
     * @param lastBeforeCutoff the last commit made before {@link #timeCutoff} (0: none, or no time limit)
     * @param kept             the kept checkpoints, newest first
     * @param keepCheckpoints  how many checkpoints are kept: nothing is pruned before there are that many,
     *                         so recovery can fall back from a bad one to the others
     */
    public Optional<Long> firstKeptCommit(long lastCommit, long lastBeforeCutoff, List<CheckpointSummary> kept, int keepCheckpoints) {
        if (archive || kept.isEmpty() || kept.size() < keepCheckpoints) return Optional.empty();
        long beyond = Math.max(keepCommits > 0 ? lastCommit - keepCommits : 0, lastBeforeCutoff);
        // Recovery from the oldest checkpoint reads the log from that checkpoint's commit on.
        long first = Math.min(beyond + 1, kept.get(kept.size() - 1).commitIndex());
        return first > 1 ? Optional.of(first) : Optional.empty();
    }

    /**
     * The cut that keeps commit {@code firstKept} on.
     *
     * @param previousAnchorRound the anchor round of commit {@code firstKept - 1}
     * @param oldest              the oldest kept checkpoint
     * @param gcDepth             rounds below the committed round the DAG keeps
     */
    public static Cut cut(long firstKept, long previousAnchorRound, CheckpointSummary oldest, long gcDepth) {
        // The first kept commit's sub-DAG reaches at most gcDepth rounds below the anchor committed
        // before it (the DAG's GC round when it was ordered); one more round of margin costs nothing.
        // Recovery from the oldest checkpoint reads the certificates from its GC round on.
        long firstKeptReach = Math.max(0, previousAnchorRound - gcDepth - 1);
        return new Cut(firstKept, Math.min(firstKeptReach, oldest.gcRound()));
    }

    /** 7d, 12h, 10m, 30s: the form the keys are written in. */
    static String brief(Duration d) {
        long s = d.getSeconds();
        if (d.getNano() != 0 || s == 0) return d.toString();
        if (s % 86_400 == 0) return s / 86_400 + "d";
        if (s % 3_600 == 0) return s / 3_600 + "h";
        if (s % 60 == 0) return s / 60 + "m";
        return s + "s";
    }
}
