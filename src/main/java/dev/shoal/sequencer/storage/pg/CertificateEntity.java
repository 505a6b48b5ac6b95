package dev.shoal.sequencer.storage.pg;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** Row of the certificate table (Flyway V1). Written by the raw-client pipeline, read through Panache. */
@Entity
@Table(name = "certificate")
public class CertificateEntity extends PanacheEntityBase {
    @Id
    public byte[] digest;
    public long epoch;
    public long round;
    public int author;
    public byte[] header;
    @Column(name = "signer_bitmap")
    public byte[] signerBitmap;
    public byte[] signatures;
    public boolean committed;
    @Column(name = "commit_index")
    public Long commitIndex;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
}
