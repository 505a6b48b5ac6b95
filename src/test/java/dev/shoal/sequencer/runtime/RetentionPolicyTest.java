package dev.shoal.sequencer.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.sequencer.storage.CheckpointSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where the retention cut falls: beyond either limit, never into what the oldest kept checkpoint needs. */
class RetentionPolicyTest {
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    private static CheckpointSummary checkpoint(long commitIndex, long gcRound) {
        return new CheckpointSummary(gcRound + 50, 2, "zstd", 1, 1, "00", 1, commitIndex, gcRound, NOW);
    }

    /** Newest first, as the store lists them. */
    private static final List<CheckpointSummary> KEPT = List.of(checkpoint(900, 1_700), checkpoint(800, 1_500));

    @Test
    void aCountLimitKeepsTheLastCommitsUpToTheOldestCheckpoint() {
        var policy = new RetentionPolicy(false, Duration.ZERO, 300);
        assertThat(policy.firstKeptCommit(1_000, 0, KEPT, 2)).contains(701L);
        // A short limit stops at the oldest checkpoint's commit: recovery from it checks the log there.
        assertThat(new RetentionPolicy(false, Duration.ZERO, 1).firstKeptCommit(1_000, 0, KEPT, 2)).contains(800L);
        assertThat(policy.firstKeptCommit(300, 0, KEPT, 2)).as("fewer commits than kept: nothing goes").isEmpty();
    }

    @Test
    void eitherLimitPrunes() {
        var policy = new RetentionPolicy(false, Duration.ofDays(7), 500);
        assertThat(policy.timeCutoff(NOW)).contains(NOW.minus(Duration.ofDays(7)));
        assertThat(policy.firstKeptCommit(1_000, 0, KEPT, 2)).as("only the count limit is exceeded").contains(501L);
        assertThat(policy.firstKeptCommit(1_000, 600, KEPT, 2)).as("the time limit goes further").contains(601L);
        assertThat(new RetentionPolicy(false, Duration.ofDays(7), 0).firstKeptCommit(1_000, 0, KEPT, 2))
                .as("nothing is older than the time limit and there is no count limit").isEmpty();
    }

    @Test
    void nothingIsPrunedByAnArchiveOrBeforeEnoughCheckpointsAreKept() {
        var archive = new RetentionPolicy(true, Duration.ZERO, 0);
        assertThat(archive.timeCutoff(NOW)).isEmpty();
        assertThat(archive.firstKeptCommit(1_000, 999, KEPT, 2)).isEmpty();
        var policy = new RetentionPolicy(false, Duration.ZERO, 1);
        assertThat(policy.firstKeptCommit(1_000, 0, KEPT, 3)).as("two kept of three").isEmpty();
        assertThat(policy.firstKeptCommit(1_000, 0, List.of(), 0)).isEmpty();
        assertThat(policy.firstKeptCommit(1_000, 0, List.of(checkpoint(1, 0)), 1)).as("nothing below commit 1").isEmpty();
    }

    @Test
    void theRoundCutKeepsTheFirstKeptCommitsSubDagAndTheOldestCheckpointsWindow() {
        CheckpointSummary oldest = KEPT.get(1);
        // The first kept commit's sub-DAG may reach gcDepth rounds below the anchor ordered before it.
        assertThat(RetentionPolicy.cut(701, 1_400, oldest, 50)).isEqualTo(new RetentionPolicy.Cut(701, 1_349));
        // The oldest checkpoint's window starts lower: recovery from it needs that.
        assertThat(RetentionPolicy.cut(800, 1_600, oldest, 50)).isEqualTo(new RetentionPolicy.Cut(800, 1_500));
        assertThat(RetentionPolicy.cut(2, 10, oldest, 50).belowRound()).isZero();
    }

    @Test
    void settingsThatMakeNoSenseAreRefusedWithTheKeyNamed() {
        assertThatThrownBy(() -> new RetentionPolicy(false, Duration.ZERO, 0)).hasMessageContaining("sequencer.retention.archive=true");
        assertThatThrownBy(() -> new RetentionPolicy(false, Duration.ofSeconds(-1), 0)).hasMessageContaining("sequencer.retention.keep-duration");
        assertThatThrownBy(() -> new RetentionPolicy(false, Duration.ZERO, -1)).hasMessageContaining("sequencer.retention.keep-commits");
        assertThat(new RetentionPolicy(true, Duration.ZERO, 0).archive()).isTrue();
    }

    @Test
    void theLogSaysWhatIsKept() {
        assertThat(new RetentionPolicy(false, Duration.ofDays(7), 0).describe()).startsWith("commits older than 7d are pruned");
        assertThat(new RetentionPolicy(false, Duration.ofHours(12), 1_000).describe())
                .startsWith("commits older than 12h or more than 1000 commits behind the last are pruned");
        assertThat(new RetentionPolicy(true, Duration.ofDays(7), 0).describe()).startsWith("archive");
        assertThat(RetentionPolicy.brief(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(RetentionPolicy.brief(Duration.ofMinutes(10))).isEqualTo("10m");
    }

    @Test
    void theRetiredArchiveKeyStopsStartUpInsteadOfBeingIgnored() {
        assertThatThrownBy(() -> RetentionSettingsCheck.refuseRetiredKey(k -> java.util.Optional.of("true")))
                .hasMessageContaining("sequencer.retention.archive=true").hasMessageContaining("SEQUENCER_CHECKPOINT_ARCHIVE");
        RetentionSettingsCheck.refuseRetiredKey(k -> java.util.Optional.empty());
    }
}
