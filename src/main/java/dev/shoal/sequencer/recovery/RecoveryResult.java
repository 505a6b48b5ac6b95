package dev.shoal.sequencer.recovery;

import java.util.Optional;

/**
 * What the last start-up recovery did, for the log, GET /api/v1/status and the metrics.
 *
 * @param requested          the configured strategy
 * @param used               the strategy that produced the state (HYBRID resolves to one of the other two)
 * @param checkpointRound    round of the checkpoint used, if one was
 * @param certificatesLoaded certificates read from the database and replayed (window included)
 * @param commitsVerified    stored commits the replay reproduced
 * @param highestRound       highest DAG round after recovery
 * @param lastCommitIndex    last commit index after recovery
 * @param durationMs         wall time of the recovery
 * @param fallbackReason     why HYBRID did not use the checkpoint
 */
public record RecoveryResult(RecoveryStrategy requested, RecoveryStrategy used, Optional<Long> checkpointRound,
                             long certificatesLoaded, long commitsVerified, long highestRound, long lastCommitIndex,
                             long durationMs, Optional<String> fallbackReason) {}
