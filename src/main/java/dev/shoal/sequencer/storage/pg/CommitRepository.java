package dev.shoal.sequencer.storage.pg;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The commit log, read in index order. */
@ApplicationScoped
public class CommitRepository implements PanacheRepositoryBase<CommittedSubDagEntity, Long> {

    public Uni<List<CommittedSubDagEntity>> from(long fromIndex, int limit) {
        return find("commitIndex >= ?1 order by commitIndex", fromIndex).range(0, limit - 1).list();
    }
}
