package dev.shoal.sequencer.storage.pg;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** The metadata singleton. */
@ApplicationScoped
public class ConsensusMetadataRepository implements PanacheRepositoryBase<ConsensusMetadataEntity, String> {

    public Uni<ConsensusMetadataEntity> current() {
        return findById(ConsensusMetadataEntity.CURRENT);
    }
}
