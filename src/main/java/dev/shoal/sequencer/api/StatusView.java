package dev.shoal.sequencer.api;

import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.node.NodeIdentity;
import dev.shoal.sequencer.node.NodeLifecycle;
import dev.shoal.sequencer.recovery.RecoveryResult;
import dev.shoal.sequencer.storage.ConsensusMetadata;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of {@code GET /api/v1/status}: identity, committee and lifecycle (always present), the
 * consensus progress and totals (null until storage is open or while it cannot be read) and the
 * last start-up recovery (null while it runs). Clients must ignore fields they do not know.
 */
@Schema(name = "Status", description = "This validator, its committee, its lifecycle state, its progress and its last recovery")
public record StatusView(ValidatorInfo validator, CommitteeInfo committee, NodeInfo node,
                             @Schema(nullable = true, description = "Null until storage is open or while it cannot be read") Progress consensus,
                             @Schema(nullable = true, description = "Null until storage is open or while it cannot be read") Totals totals,
                             @Schema(nullable = true, description = "Null while the start-up recovery runs") RecoveryInfo recovery) {

    /** This validator. */
    @Schema(name = "ValidatorIdentity")
    public record ValidatorInfo(
            @Schema(description = "Validator name", examples = "validator-0") String name,
            @Schema(description = "Ed25519 public key, 64 hex characters") String publicKey,
            @Schema(description = "Position in the committee order (sorted by public key)") int index,
            @Schema(description = "True when running as a one-validator committee (no committee file)") boolean singleValidator) {
    }

    /** The committee of the current epoch. */
    @Schema(name = "Committee")
    public record CommitteeInfo(
            long epoch,
            @Schema(description = "Number of validators") int size,
            long totalStake,
            @Schema(description = "Stake for a certificate: 2N/3 + 1 (2f+1)") long quorumThreshold,
            @Schema(description = "Stake that includes an honest validator: (N+2)/3 (f+1)") long validityThreshold,
            @Schema(description = "Validators in committee order") List<Member> members) {
    }

    /** One committee member. */
    @Schema(name = "CommitteeMember")
    public record Member(int index, String name, String publicKey, long stake, String address,
                         @Schema(nullable = true, description = "Whether the peer is connected both ways (our link to it authenticated, and its link to us);"
                                 + " null for this validator and before the peer network opens") Boolean connected) {
    }

    /** Lifecycle of this node. */
    @Schema(name = "NodeState")
    public record NodeInfo(
            @Schema(description = "STARTING, RECOVERING or READY") NodeLifecycle.State lifecycle,
            @Schema(description = "False while the database does not accept writes") boolean storageHealthy,
            @Schema(nullable = true, description = "Why this validator cannot catch up with its committee (its peers pruned the rounds"
                    + " it needs) and the remedy; null when it can") String cannotCatchUp) {
    }

    /** Consensus progress, from the stored metadata row and the commit stream. */
    @Schema(name = "ConsensusProgress")
    public record Progress(
            @Schema(description = "Highest round of a stored certificate") long currentRound,
            @Schema(description = "Round of the last committed anchor") long highestCommittedRound,
            long lastAnchorRound,
            @Schema(description = "Index of the last durable committed sub-DAG") long lastCommitIndex,
            @Schema(description = "Index of the last commit published to readers (GET /commits, the SSE stream)") long publishedCommitIndex,
            @Schema(description = "First commit this node holds: 1, the one after the peer checkpoint it joined from, or the first its retention policy keeps") long firstHeldCommitIndex,
            @Schema(nullable = true) Long lastCheckpointRound,
            @Schema(nullable = true) Instant lastCheckpointAt,
            Instant startedAt,
            Instant updatedAt) {
    }

    /** What the database holds. */
    @Schema(name = "Totals")
    public record Totals(long certificates, long batches, long transactions, long commits) {
    }

    /** The last start-up recovery (docs/recovery.md). */
    @Schema(name = "Recovery")
    public record RecoveryInfo(
            @Schema(description = "Configured strategy: FROM_SCRATCH, FROM_CHECKPOINT or HYBRID") String strategyRequested,
            @Schema(description = "Strategy that produced the state (HYBRID resolves to one of the other two)") String strategyUsed,
            @Schema(nullable = true, description = "Round of the checkpoint it started from; null when none was used") Long checkpointRound,
            long certificatesLoaded,
            @Schema(description = "Stored commits the replay reproduced") long commitsVerified,
            long highestRound,
            long lastCommitIndex,
            long durationMs,
            @Schema(nullable = true, description = "Why HYBRID did not use the checkpoint") String fallbackReason) {

        static RecoveryInfo of(RecoveryResult r) {
            return new RecoveryInfo(r.requested().name(), r.used().name(), r.checkpointRound().orElse(null), r.certificatesLoaded(),
                    r.commitsVerified(), r.highestRound(), r.lastCommitIndex(), r.durationMs(), r.fallbackReason().orElse(null));
        }
    }

    static Progress progress(ConsensusMetadata m, long publishedCommitIndex, long firstHeldCommitIndex) {
        return new Progress(m.currentRound(), m.highestCommittedRound(), m.lastAnchorRound(), m.lastCommitIndex(), publishedCommitIndex,
                firstHeldCommitIndex,
                m.lastCheckpointRound().orElse(null), m.lastCheckpointAt().orElse(null), m.startedAt(), m.updatedAt());
    }

    static Totals totals(ConsensusMetadata m) {
        return new Totals(m.totalCertificates(), m.totalBatches(), m.totalTransactions(), m.totalCommits());
    }

    static StatusView of(NodeIdentity identity, NodeLifecycle lifecycle, ConsensusMetadata metadata, long publishedCommitIndex,
                             long firstHeldCommitIndex, RecoveryResult recovery, java.util.Map<Integer, Boolean> peersConnected) {
        Committee c = identity.committee();
        List<Member> members = new java.util.ArrayList<>(c.size());
        for (int i = 0; i < c.size(); i++) {
            var v = c.validator(i);
            members.add(new Member(i, v.name(), v.publicKey().toHex(), v.stake(), v.address(), peersConnected.get(i)));
        }
        return new StatusView(
                new ValidatorInfo(identity.name(), identity.keyPair().publicKey().toHex(), identity.index(), identity.singleValidator()),
                new CommitteeInfo(c.epoch(), c.size(), c.totalStake(), c.quorumThreshold(), c.validityThreshold(), List.copyOf(members)),
                new NodeInfo(lifecycle.state(), lifecycle.storageHealthy(), lifecycle.cannotCatchUp()),
                metadata == null ? null : progress(metadata, publishedCommitIndex, firstHeldCommitIndex),
                metadata == null ? null : totals(metadata),
                recovery == null ? null : RecoveryInfo.of(recovery));
    }
}
