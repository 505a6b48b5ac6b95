package dev.shoal.sequencer.runtime;

import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.storage.BatchSummary;
import dev.shoal.sequencer.storage.CertificateQuery;
import dev.shoal.sequencer.storage.CheckpointRecord;
import dev.shoal.sequencer.storage.CheckpointSummary;
import dev.shoal.sequencer.storage.ConsensusMetadata;
import dev.shoal.sequencer.storage.StoredBatch;
import dev.shoal.sequencer.storage.StoredCertificate;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * Read-only queries over what this validator stored: certificates, batches, checkpoints and the
 * consensus metadata. Answers from the store as soon as it is chosen (during recovery too); each
 * call fails with {@link NotReadyException} before that.
 */
@ApplicationScoped
public class StoredHistory {
    private final NodeBoot boot;

    StoredHistory(NodeBoot boot) {
        this.boot = boot;
    }

    public Uni<Optional<StoredCertificate>> certificate(Digest digest) {
        return boot.store().certificate(digest);
    }

    public Uni<List<StoredCertificate>> certificates(CertificateQuery query) {
        return boot.store().certificates(query);
    }

    public Uni<Optional<StoredBatch>> batch(Digest digest) {
        return boot.store().batch(digest);
    }

    public Uni<List<BatchSummary>> batches(Optional<Integer> author, boolean unreferencedOnly, int limit) {
        return boot.store().batches(author, unreferencedOnly, limit);
    }

    public Uni<Optional<CheckpointRecord>> latestCheckpoint() {
        return boot.store().latestCheckpoint();
    }

    public Uni<List<CheckpointSummary>> checkpoints() {
        return boot.store().checkpoints();
    }

    public Uni<ConsensusMetadata> metadata() {
        return boot.store().metadata();
    }
}
