package dev.shoal.sequencer.core.validator;

import dev.shoal.sequencer.core.dag.Dag;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.core.validator.Message.CertificateMessage;
import dev.shoal.sequencer.core.validator.Message.CertificateRequest;
import dev.shoal.sequencer.core.validator.Message.HeaderMessage;
import java.util.List;

/** The RESEND timer: re-sends what peers may have lost, and asks peers in rotation for missing parents. */
final class Resender {
    private final Committee committee;
    private final int self;
    private final ValidatorConfig config;
    private final Dag dag;
    private final OwnHeaders ownHeaders;
    private final HeaderVoter voter;
    /** Counts Starts: a RESEND timer of an earlier Start is stale (the driver may still deliver it). */
    private long generation;
    /** Peer asked last for missing parents (rotates). */
    private int syncPeer;

    Resender(Committee committee, int self, ValidatorConfig config, Dag dag, OwnHeaders ownHeaders, HeaderVoter voter) {
        this.committee = committee;
        this.self = self;
        this.config = config;
        this.dag = dag;
        this.ownHeaders = ownHeaders;
        this.voter = voter;
    }

    /** At Start: a new generation of the RESEND timer. */
    void arm(OutputBuilder out) {
        generation++;
        out.timer(new TimerRequest(TimerKind.RESEND, generation, config.resendIntervalMs()));
    }

    void onTimer(long timerGeneration, OutputBuilder out) {
        if (timerGeneration != generation) return; // a stale timer from an earlier Start
        resend(out);
        out.timer(new TimerRequest(TimerKind.RESEND, generation, config.resendIntervalMs()));
    }

    /** Re-send what peers may have lost: our uncertified header, our latest certificate, parent requests. */
    private void resend(OutputBuilder out) {
        long r = ownHeaders.round();
        if (r > 0) {
            Header h = ownHeaders.get(r);
            Certificate own = dag.get(Certificate.digestOf(h.digest())).orElse(null);
            if (own == null) {
                out.send(Destination.BROADCAST, new HeaderMessage(h));
                Header prev = ownHeaders.get(r - 1);
                if (prev != null) own = dag.get(Certificate.digestOf(prev.digest())).orElse(null);
            }
            if (own != null) out.send(Destination.BROADCAST, new CertificateMessage(own));
        }
        voter.requestMissingParents(out);
        requestWantedParents(out);
    }

    /**
     * Parents that held-back certificates still wait for, asked from the next peer in rotation.
     * The first request goes to the certificate's sender, but that request or its answer can be
     * lost (a crash on either side), and after a restore nobody has been asked at all; rotating
     * over the peers reaches an honest one that has them.
     */
    void requestWantedParents(OutputBuilder out) {
        List<Digest> wanted = dag.wantedParents();
        if (wanted.isEmpty() || committee.size() == 1) return;
        syncPeer = (syncPeer + 1) % committee.size();
        if (syncPeer == self) syncPeer = (syncPeer + 1) % committee.size();
        if (wanted.size() > config.maxCertificatesPerResponse()) wanted = wanted.subList(0, config.maxCertificatesPerResponse());
        out.send(Destination.to(syncPeer), new CertificateRequest(wanted));
    }
}
