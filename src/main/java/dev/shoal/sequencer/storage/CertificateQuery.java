package dev.shoal.sequencer.storage;

import java.util.Optional;

/**
 * Filters of the certificate listing; empty filters match everything. Results are ordered by
 * (round, author).
 */
public record CertificateQuery(Optional<Long> round, Optional<Integer> author, Optional<Boolean> committed,
                               int limit) {
    public static CertificateQuery all(int limit) {
        return new CertificateQuery(Optional.empty(), Optional.empty(), Optional.empty(), limit);
    }

    public CertificateQuery {
        if (limit < 1) throw new IllegalArgumentException("limit must be at least 1");
    }
}
