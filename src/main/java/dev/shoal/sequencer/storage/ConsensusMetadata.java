package dev.shoal.sequencer.storage;

import java.time.Instant;
import java.util.Optional;

/** The singleton progress row ('current'): rounds, totals and timestamps. */
public record ConsensusMetadata(long committeeEpoch, long currentRound, long highestCommittedRound,
                                long lastAnchorRound, long lastCommitIndex, long totalCertificates,
                                long totalBatches, long totalTransactions, long totalCommits,
                                Optional<Long> lastCheckpointRound, Optional<Instant> lastCheckpointAt,
                                Instant startedAt, Instant updatedAt) {}
