package dev.shoal.sequencer.storage.pg;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Checkpoints: latest, listing (newest first). */
@ApplicationScoped
public class CheckpointRepository implements PanacheRepositoryBase<CheckpointEntity, Long> {

    public Uni<CheckpointEntity> latest() {
        return find("order by round desc").firstResult();
    }

    public Uni<List<CheckpointEntity>> newestFirst() {
        return find("order by round desc").list();
    }
}
