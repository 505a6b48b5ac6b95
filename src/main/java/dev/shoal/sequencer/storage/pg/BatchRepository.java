package dev.shoal.sequencer.storage.pg;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** Batch queries: by author, unreferenced, and the batch-to-certificate link. */
@ApplicationScoped
public class BatchRepository implements PanacheRepositoryBase<BatchEntity, byte[]> {

    public Uni<List<BatchSummaryRow>> summaries(Optional<Integer> author, boolean unreferencedOnly, int limit) {
        StringBuilder q = new StringBuilder("1 = 1");
        Parameters p = new Parameters();
        author.ifPresent(a -> { q.append(" and author = :author"); p.and("author", a); });
        if (unreferencedOnly) q.append(" and certificateDigest is null");
        q.append(" order by createdAt, digest");
        return find(q.toString(), p).project(BatchSummaryRow.class).range(0, limit - 1).list();
    }

    public Uni<List<BatchEntity>> unreferenced(int author, int limit) {
        return find("author = ?1 and certificateDigest is null order by createdAt, digest", author)
                .range(0, limit - 1).list();
    }

    public Uni<BatchEntity> byDigest(byte[] digest) {
        return find("digest", (Object) digest).firstResult();
    }
}
