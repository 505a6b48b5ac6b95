package dev.shoal.sequencer.storage.pg;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** Certificate queries of the original system: by round, by author, by committed status. */
@ApplicationScoped
public class CertificateRepository implements PanacheRepositoryBase<CertificateEntity, byte[]> {

    public Uni<List<CertificateEntity>> search(Optional<Long> round, Optional<Integer> author,
                                               Optional<Boolean> committed, int limit) {
        StringBuilder q = new StringBuilder("1 = 1");
        Parameters p = new Parameters();
        round.ifPresent(r -> { q.append(" and round = :round"); p.and("round", r); });
        author.ifPresent(a -> { q.append(" and author = :author"); p.and("author", a); });
        committed.ifPresent(c -> { q.append(" and committed = :committed"); p.and("committed", c); });
        q.append(" order by round, author");
        return find(q.toString(), p).range(0, limit - 1).list();
    }

    public Uni<CertificateEntity> byDigest(byte[] digest) {
        return find("digest", (Object) digest).firstResult();
    }
}
