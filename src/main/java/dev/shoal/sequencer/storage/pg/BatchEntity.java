package dev.shoal.sequencer.storage.pg;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** Row of the batch table (Flyway V1). */
@Entity
@Table(name = "batch")
public class BatchEntity extends PanacheEntityBase {
    @Id
    public byte[] digest;
    public int author;
    public int worker;
    @Column(name = "transaction_count")
    public int transactionCount;
    @Column(name = "size_bytes")
    public long sizeBytes;
    @Column(columnDefinition = "text")
    public String codec;
    public byte[] payload;
    @Column(name = "certificate_digest")
    public byte[] certificateDigest;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
}
