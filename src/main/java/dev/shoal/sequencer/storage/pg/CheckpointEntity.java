package dev.shoal.sequencer.storage.pg;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** Row of the checkpoint table (Flyway V1). */
@Entity
@Table(name = "checkpoint")
public class CheckpointEntity extends PanacheEntityBase {
    @Id
    public long round;
    @Column(name = "format_version")
    public int formatVersion;
    @Column(columnDefinition = "text")
    public String codec;
    public byte[] payload;
    public byte[] checksum;
    @Column(name = "uncompressed_size")
    public long uncompressedSize;
    @Column(name = "compressed_size")
    public long compressedSize;
    @Column(name = "certificate_count")
    public int certificateCount;
    @Column(name = "commit_index")
    public long commitIndex;
    @Column(name = "gc_round")
    public long gcRound;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
}
