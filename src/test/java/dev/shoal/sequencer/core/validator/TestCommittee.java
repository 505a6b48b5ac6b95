package dev.shoal.sequencer.core.validator;

import dev.shoal.sequencer.core.consensus.ConsensusConfig;
import dev.shoal.sequencer.core.crypto.KeyPair;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.core.types.Signature;
import dev.shoal.sequencer.core.types.SignerBitmap;
import dev.shoal.sequencer.core.types.Validator;
import dev.shoal.sequencer.core.types.Vote;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/** A committee of n equal-stake validators with deterministic keys, and helpers to hand-build protocol objects. */
final class TestCommittee {
    static final ConsensusConfig CONSENSUS = ConsensusConfig.DEFAULT.withGcDepth(20);
    static final ValidatorConfig CONFIG = new ValidatorConfig(1_000, 500, 16, 100, 64);

    final Committee committee;
    final KeyPair[] keys;

    TestCommittee(int n, long seed) {
        Random random = new Random(seed);
        List<KeyPair> generated = new ArrayList<>();
        List<Validator> members = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            KeyPair k = KeyPair.deterministic(random);
            generated.add(k);
            members.add(new Validator("v" + i, k.publicKey(), 1, ""));
        }
        committee = new Committee(0, members);
        keys = new KeyPair[n];
        for (KeyPair k : generated) keys[committee.indexOf(k.publicKey()).getAsInt()] = k;
    }

    ValidatorStateMachine machine(int index) {
        return ValidatorStateMachine.create(committee, index, keys[index], CONSENSUS, CONFIG, Verifier.DIRECT);
    }

    ValidatorStateMachine restore(int index, List<PersistRecord> persisted) {
        return ValidatorStateMachine.restore(committee, index, keys[index], CONSENSUS, CONFIG, Verifier.DIRECT, persisted);
    }

    List<Digest> genesisDigests() {
        return committee.genesis().stream().map(Certificate::digest).toList();
    }

    Header header(int author, long round, Collection<Digest> parents, long timestamp) {
        return Header.of(committee.epoch(), round, author, timestamp, List.of(), parents);
    }

    Vote vote(Header h, int voter) {
        return new Vote(h.digest(), h.epoch(), h.round(), h.author(), voter, keys[voter].sign(h.voteMessage()));
    }

    /** A certificate of h signed by the given voters. */
    Certificate certificate(Header h, Collection<Integer> signers) {
        TreeMap<Integer, Signature> sigs = new TreeMap<>();
        for (int s : signers) sigs.put(s, keys[s].sign(h.voteMessage()));
        return new Certificate(h, SignerBitmap.of(sigs.keySet()), List.copyOf(sigs.values()));
    }

    /** Certificates for round r by the given authors on the given parents, each signed by every validator. */
    List<Certificate> round(long r, Collection<Integer> authors, Collection<Digest> parents) {
        List<Certificate> out = new ArrayList<>();
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < committee.size(); i++) all.add(i);
        for (int a : authors) out.add(certificate(header(a, r, parents, r), all));
        return out;
    }

    static List<Digest> digests(List<Certificate> certs) {
        return certs.stream().map(Certificate::digest).toList();
    }
}
