package dev.shoal.sequencer.peer;

import dev.shoal.sequencer.checkpoint.CheckpointBody;
import dev.shoal.sequencer.checkpoint.CheckpointCodec;
import dev.shoal.sequencer.checkpoint.CheckpointException;
import dev.shoal.sequencer.checkpoint.CheckpointFrame;
import dev.shoal.sequencer.core.codec.Codec;
import dev.shoal.sequencer.core.codec.CodecException;
import dev.shoal.sequencer.core.consensus.ConsensusState;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.validator.Verifier;
import dev.shoal.sequencer.storage.CheckpointRecord;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * A checkpoint a peer offered, opened and checked as far as it can be without other peers: the frame
 * and its checksum, the body's layout, the committee, the DAG window's bounds and that it holds the
 * parents of each of its certificates above the GC round, and every certificate of the window (a
 * quorum of valid signatures each: a peer cannot forge one). What it cannot check alone is the
 * consensus state; {@link CheckpointJoin} has f+1 peers vouch for its digest.
 *
 * @param peer   who offered it
 * @param record the checkpoint as this validator will store it
 * @param body   the decoded checkpoint
 */
record OfferedCheckpoint(int peer, CheckpointRecord record, CheckpointBody body) {

    ConsensusState state() {
        return body.state();
    }

    long commitIndex() {
        return body.state().lastCommitIndex();
    }

    /** Opens the frame and checks everything but the certificates' signatures (cheap; done for every offer). */
    static OfferedCheckpoint open(int peer, byte[] frame, Committee committee, long gcDepth, long maxBodyBytes) {
        CheckpointFrame.Opened opened = CheckpointFrame.open(frame, maxBodyBytes);
        CheckpointBody body;
        try {
            body = Codec.decode(opened.body(), CheckpointCodec.LIMITS, CheckpointBody::decode);
        } catch (CodecException e) {
            throw new CheckpointException("checkpoint body does not decode: " + e.getMessage());
        }
        if (body.epoch() != committee.epoch()) {
            throw new CheckpointException("checkpoint of epoch " + body.epoch() + ", the committee is epoch " + committee.epoch());
        }
        ConsensusState s = body.state();
        if (s.lastCommittedRounds().size() != committee.size()) {
            throw new CheckpointException("checkpoint for a committee of " + s.lastCommittedRounds().size());
        }
        if (s.lastCommitIndex() < 1) throw new CheckpointException("checkpoint taken before the first commit");
        long gc = body.gcRound(gcDepth);
        Set<Digest> inWindow = new HashSet<>();
        for (Certificate c : body.window()) {
            if (c.round() < gc || c.round() > body.round()) {
                throw new CheckpointException("window certificate of round " + c.round() + " outside [" + gc + ", " + body.round() + "]");
            }
            inWindow.add(c.digest());
        }
        // Above the GC round a DAG holds a certificate only with its parents: a window with a hole
        // (a peer leaving certificates out) could not be restored.
        for (Certificate c : body.window()) {
            if (c.round() <= gc) continue;
            for (Digest parent : c.header().parents()) {
                if (!inWindow.contains(parent)) {
                    throw new CheckpointException("window certificate " + c + " lacks its parent " + parent);
                }
            }
        }
        CheckpointRecord record = new CheckpointRecord(body.round(), opened.formatVersion(), opened.codec().label(), frame,
                CheckpointFrame.checksumBytes(frame), opened.body().length, body.window().size(), s.lastCommitIndex(), gc,
                Instant.now());
        return new OfferedCheckpoint(peer, record, body);
    }

    /** Verifies every window certificate; the reason of the first invalid one. */
    Optional<String> verifyCertificates(Committee committee) {
        for (Certificate c : body.window()) {
            Optional<String> bad = Verifier.DIRECT.checkCertificate(committee, c, (k, m, sig) -> false);
            if (bad.isPresent()) return Optional.of("certificate " + c + ": " + bad.get());
        }
        return Optional.empty();
    }
}
