package dev.shoal.sequencer.storage.pg;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** The singleton metadata row, id 'current' (Flyway V1). */
@Entity
@Table(name = "consensus_metadata")
public class ConsensusMetadataEntity extends PanacheEntityBase {
    public static final String CURRENT = "current";

    @Id
    @Column(columnDefinition = "text")
    public String id;
    @Column(name = "committee_epoch")
    public long committeeEpoch;
    @Column(name = "current_round")
    public long currentRound;
    @Column(name = "highest_committed_round")
    public long highestCommittedRound;
    @Column(name = "last_anchor_round")
    public long lastAnchorRound;
    @Column(name = "last_commit_index")
    public long lastCommitIndex;
    @Column(name = "total_certificates")
    public long totalCertificates;
    @Column(name = "total_batches")
    public long totalBatches;
    @Column(name = "total_transactions")
    public long totalTransactions;
    @Column(name = "total_commits")
    public long totalCommits;
    @Column(name = "last_checkpoint_round")
    public Long lastCheckpointRound;
    @Column(name = "last_checkpoint_at")
    public OffsetDateTime lastCheckpointAt;
    @Column(name = "started_at")
    public OffsetDateTime startedAt;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
}
