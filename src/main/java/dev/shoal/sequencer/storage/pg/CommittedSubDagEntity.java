package dev.shoal.sequencer.storage.pg;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** Row of the commit log (Flyway V1, output batches V3). */
@Entity
@Table(name = "committed_sub_dag")
public class CommittedSubDagEntity extends PanacheEntityBase {
    @Id
    @Column(name = "commit_index")
    public long commitIndex;
    @Column(name = "anchor_digest")
    public byte[] anchorDigest;
    @Column(name = "anchor_round")
    public long anchorRound;
    @Column(name = "anchor_author")
    public int anchorAuthor;
    @Column(name = "certificate_count")
    public int certificateCount;
    @Column(name = "certificate_digests")
    public byte[] certificateDigests;
    @Column(name = "last_committed_rounds")
    public byte[] lastCommittedRounds;
    @Column(name = "reputation_inputs")
    public byte[] reputationInputs;
    @Column(name = "output_batches")
    public byte[] outputBatches;
    @Column(name = "committed_at")
    public OffsetDateTime committedAt;
}
