package dev.shoal.sequencer.peer;

import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.storage.SequencerStore;
import dev.shoal.sequencer.storage.WriteGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Makes a vouched-for checkpoint this validator's own, so that the ordinary FROM_CHECKPOINT recovery
 * starts from it: first the batches of the window's not-yet-ordered certificates are fetched and made
 * durable (they will be committed here; a commit must never lack its transactions), then the window
 * certificates are stored (the commits after the checkpoint name them), then the transaction window
 * (exactly-once output goes on from it), and the checkpoint last. A
 * crash before the last step leaves no checkpoint: the next start joins again (writes are idempotent).
 */
final class CheckpointInstall {
    private static final Logger LOG = Logger.getLogger(CheckpointInstall.class);

    private CheckpointInstall() {}

    static void install(CheckpointJoin.JoinPoint point, SequencerStore store, BatchAvailability batches, List<Integer> sources,
                        Duration timeout) {
        OfferedCheckpoint c = point.checkpoint();
        List<Long> ordered = c.state().lastCommittedRounds();
        Set<Digest> needed = new LinkedHashSet<>();
        long highest = 0;
        WriteGroup certificates = new WriteGroup();
        for (Certificate cert : c.body().window()) {
            if (cert.round() > ordered.get(cert.author())) needed.addAll(cert.header().batchDigests());
            highest = Math.max(highest, cert.round());
        }
        List<Digest> wanted = new ArrayList<>(needed);
        LOG.infof("Join: fetching the %d batches of the checkpoint window's unordered certificates", wanted.size());
        batches.referencedByVouchedState(wanted);
        try {
            batches.ensure(wanted, sources).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new CheckpointJoin.JoinFailedException("the batches of the checkpoint window did not arrive within "
                    + timeout.toSeconds() + " s");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new CheckpointJoin.JoinFailedException("the batches of the checkpoint window cannot be fetched: "
                    + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CheckpointJoin.JoinFailedException("interrupted while fetching the checkpoint window's batches");
        }
        for (Certificate cert : c.body().window()) {
            certificates.certificate(cert);
            for (Digest b : cert.header().batchDigests()) certificates.batchLink(b, cert.digest());
        }
        certificates.currentRound(highest);
        store.write(certificates).await().atMost(timeout);
        store.saveCommitTransactions(point.window().rows()).await().atMost(timeout);
        store.saveCheckpoint(c.record()).await().atMost(timeout);
        LOG.infof("Join: installed peer %d's checkpoint at round %d (commit %d, %d certificates); this validator's commit log starts at commit %d",
                c.peer(), c.record().round(), c.commitIndex(), c.body().window().size(), c.commitIndex() + 1);
    }
}
