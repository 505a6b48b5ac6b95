package dev.shoal.sequencer.core.validator;

import dev.shoal.sequencer.core.dag.Dag;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.validator.Event.CertificatesRequested;
import dev.shoal.sequencer.core.validator.Message.CertificateMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Certificates that entered the DAG, kept for answering sync requests beyond GC, for
 * {@link ValidatorConfig#syncRetentionRounds()} rounds: a peer catching up may need parents we collected.
 */
final class SyncArchive {
    private final Committee committee;
    private final ValidatorConfig config;
    private final Dag dag;
    private final ValidatorStats stats;
    private final Map<Digest, Certificate> byDigest = new HashMap<>();
    private final TreeMap<Long, List<Digest>> byRound = new TreeMap<>();

    SyncArchive(Committee committee, ValidatorConfig config, Dag dag, ValidatorStats stats) {
        this.committee = committee;
        this.config = config;
        this.dag = dag;
        this.stats = stats;
    }

    /** Keeps a certificate that entered the DAG, and drops rounds past the retention. */
    void archive(Certificate c) {
        if (byDigest.putIfAbsent(c.digest(), c) == null) {
            byRound.computeIfAbsent(c.round(), r -> new ArrayList<>()).add(c.digest());
        }
        long keepFrom = dag.highestRound() - config.syncRetentionRounds();
        while (!byRound.isEmpty() && byRound.firstKey() < keepFrom) {
            for (Digest d : byRound.pollFirstEntry().getValue()) byDigest.remove(d);
        }
    }

    /** Sends what we hold of the requested certificates (never genesis), at most maxCertificatesPerResponse. */
    void onCertificatesRequested(CertificatesRequested r, OutputBuilder out) {
        if (!committee.isMember(r.from())) {
            stats.reject(RejectReason.UNKNOWN_VALIDATOR);
            return;
        }
        int sent = 0;
        for (Digest d : r.digests()) {
            if (sent >= config.maxCertificatesPerResponse()) break;
            Certificate c = byDigest.get(d);
            if (c != null && c.round() > 0) {
                out.send(Destination.to(r.from()), new CertificateMessage(c));
                sent++;
            }
        }
    }
}
