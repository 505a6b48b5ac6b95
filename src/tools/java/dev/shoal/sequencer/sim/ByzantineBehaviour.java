package dev.shoal.sequencer.sim;

import dev.shoal.sequencer.core.crypto.KeyPair;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.core.types.Signature;
import dev.shoal.sequencer.core.types.SignerBitmap;
import dev.shoal.sequencer.core.types.Vote;
import dev.shoal.sequencer.core.validator.Message;
import dev.shoal.sequencer.core.validator.Message.CertificateMessage;
import dev.shoal.sequencer.core.validator.Message.HeaderMessage;
import dev.shoal.sequencer.core.validator.Message.VoteMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * What a Byzantine validator does to the messages its (otherwise honest) state machine produces.
 * The Byzantine validators of a run collude: they know each other's keys.
 * <ul>
 *   <li>equivocate: every own header gets a twin (one more batch digest); peers get one, the
 *   other, or both in either order; votes for the twin are collected and, at a quorum, turned
 *   into a real certificate for the twin;</li>
 *   <li>withhold votes: most outgoing votes are dropped;</li>
 *   <li>invalid signatures: some votes and certificates go out with a corrupted signature;</li>
 *   <li>forged quorums: certificates for made-up headers, claiming every validator signed, with
 *   the colluders' real signatures and random bytes for the honest ones; and certificates
 *   signed only by the colluders (below quorum);</li>
 *   <li>re-listed batches: twins also list one of our own earlier batches (committed by now, most
 *   likely) and a batch another validator just proposed, which exactly-once output must skip.</li>
 * </ul>
 */
final class ByzantineBehaviour {
    /** One message to one validator. */
    record Delivery(int to, Message message) {}

    final boolean equivocate;
    final boolean withholdVotes;
    final boolean invalidSignatures;
    final boolean forgeQuorums;
    final boolean relistBatches;

    private final int self;
    private final Committee committee;
    private final Map<Integer, KeyPair> colluderKeys;
    private final Random random;
    /** Our headers that have a twin, by round (recent ones: greeted to a validator that lost its records). */
    private final TreeMap<Long, Header> originals = new TreeMap<>();
    /** Twin headers we sent, by digest, with the votes collected for each. */
    private final Map<Digest, Header> twins = new HashMap<>();
    private final Map<Digest, TreeMap<Integer, Signature>> twinVotes = new HashMap<>();
    /** Batch digests of our own earlier headers, and of other validators' recent headers (bounded). */
    private final List<Digest> ownBatches = new ArrayList<>();
    private final List<Digest> othersBatches = new ArrayList<>();
    /** Forged certificates by round. */
    private final Map<Long, Certificate[]> forgeries = new HashMap<>();

    ByzantineBehaviour(int self, Committee committee, Map<Integer, KeyPair> colluderKeys, Random random) {
        this.self = self;
        this.committee = committee;
        this.colluderKeys = colluderKeys;
        this.random = random;
        // At least one misbehaviour each; the rest by coin flip.
        int forced = random.nextInt(5);
        this.relistBatches = forced == 4 || random.nextBoolean();
        this.equivocate = forced == 0 || relistBatches || random.nextBoolean(); // re-listing rides on twins
        this.withholdVotes = forced == 1 || random.nextBoolean();
        this.invalidSignatures = forced == 2 || random.nextBoolean();
        this.forgeQuorums = forced == 3 || random.nextBoolean();
    }

    String describe() {
        return (equivocate ? "E" : "") + (withholdVotes ? "W" : "") + (invalidSignatures ? "S" : "") + (forgeQuorums ? "F" : "")
                + (relistBatches ? "R" : "");
    }

    /** What the Byzantine validator learns from a header it receives: another validator's batches. */
    void observeHeader(Header h) {
        if (h.author() == self) return;
        remember(othersBatches, h.batchDigests());
    }

    private static void addOnce(List<Digest> batches, Digest d) {
        if (!batches.contains(d)) batches.add(d);
    }

    private static void remember(List<Digest> into, List<Digest> batches) {
        into.addAll(batches);
        if (into.size() > 256) into.subList(0, into.size() - 256).clear();
    }

    /** Rewrites the deliveries the honest machine asked for. */
    List<Delivery> transform(List<Delivery> honest) {
        List<Delivery> out = new ArrayList<>();
        Map<Header, List<Integer>> ownHeaderBroadcasts = new java.util.LinkedHashMap<>();
        for (Delivery d : honest) {
            Message m = d.message();
            if (m instanceof HeaderMessage hm && hm.header().author() == self && equivocate) {
                ownHeaderBroadcasts.computeIfAbsent(hm.header(), h -> new ArrayList<>()).add(d.to());
            } else if (m instanceof VoteMessage vm) {
                if (withholdVotes && random.nextInt(100) < 70) continue;
                if (invalidSignatures && random.nextInt(100) < 30) {
                    Vote v = vm.vote();
                    out.add(new Delivery(d.to(), new VoteMessage(new Vote(v.headerDigest(), v.epoch(), v.round(),
                            v.headerAuthor(), v.voter(), corrupt(v.signature())))));
                    continue;
                }
                out.add(d);
            } else if (m instanceof CertificateMessage cm && invalidSignatures && cm.certificate().round() > 0
                    && random.nextInt(100) < 20) {
                out.add(new Delivery(d.to(), new CertificateMessage(corruptOneSignature(cm.certificate()))));
                out.add(d);
            } else {
                out.add(d);
            }
        }
        for (Map.Entry<Header, List<Integer>> e : ownHeaderBroadcasts.entrySet()) {
            equivocateOn(e.getKey(), e.getValue(), out);
        }
        return out;
    }

    private void equivocateOn(Header h, List<Integer> peers, List<Delivery> out) {
        Header twin = twins.values().stream()
                .filter(t -> t.round() == h.round()).findFirst().orElse(null);
        if (twin == null) {
            List<Digest> batches = new ArrayList<>(h.batchDigests());
            byte[] extra = new byte[32];
            random.nextBytes(extra);
            batches.add(Digest.of(extra));
            if (relistBatches && !ownBatches.isEmpty()) addOnce(batches, ownBatches.get(random.nextInt(ownBatches.size())));
            if (relistBatches && !othersBatches.isEmpty()) addOnce(batches, othersBatches.get(random.nextInt(othersBatches.size())));
            remember(ownBatches, h.batchDigests());
            twin = Header.of(h.epoch(), h.round(), h.author(), h.timestampMs() + 1, batches, h.parents());
            twins.put(twin.digest(), twin);
            originals.put(h.round(), h);
            while (originals.size() > 8) originals.pollFirstEntry();
            TreeMap<Integer, Signature> votes = new TreeMap<>();
            votes.put(self, colluderKeys.get(self).sign(twin.voteMessage()));
            twinVotes.put(twin.digest(), votes);
        }
        for (int p : peers) {
            switch (random.nextInt(4)) {
                case 0 -> out.add(new Delivery(p, new HeaderMessage(h)));
                case 1 -> out.add(new Delivery(p, new HeaderMessage(twin)));
                case 2 -> {
                    out.add(new Delivery(p, new HeaderMessage(h)));
                    out.add(new Delivery(p, new HeaderMessage(twin)));
                }
                default -> {
                    out.add(new Delivery(p, new HeaderMessage(twin)));
                    out.add(new Delivery(p, new HeaderMessage(h)));
                }
            }
        }
        if (forgeQuorums) forge(h, out);
    }

    /**
     * A validator just restarted without its records: send it, for our recent rounds, the twin and
     * then the original header. It may have voted for one of them before it lost its records; a
     * second vote would let both get certified.
     */
    List<Delivery> greetWiped(int wiped) {
        List<Delivery> out = new ArrayList<>();
        if (!equivocate || wiped == self) return out;
        for (Header h : originals.values()) {
            for (Header t : twins.values()) {
                if (t.round() == h.round()) out.add(new Delivery(wiped, new HeaderMessage(t)));
            }
            out.add(new Delivery(wiped, new HeaderMessage(h)));
        }
        return out;
    }

    /** A vote for one of our twins is ours to use; anything else goes to the honest machine. */
    boolean interceptVote(Vote v, List<Delivery> out) {
        Header twin = twins.get(v.headerDigest());
        if (twin == null) return false;
        TreeMap<Integer, Signature> votes = twinVotes.get(v.headerDigest());
        if (votes.containsKey(v.voter()) || !committee.isMember(v.voter())) return true;
        if (!v.verify(committee.validator(v.voter()).publicKey())) return true;
        boolean had = committee.stakeOf(votes.keySet()) >= committee.quorumThreshold();
        votes.put(v.voter(), v.signature());
        if (!had && committee.stakeOf(votes.keySet()) >= committee.quorumThreshold()) {
            Certificate c = new Certificate(twin, SignerBitmap.of(votes.keySet()), List.copyOf(votes.values()));
            for (int p = 0; p < committee.size(); p++) {
                if (p != self) out.add(new Delivery(p, new CertificateMessage(c)));
            }
        }
        return true;
    }

    /**
     * Certificates for a made-up header of this round that must all be rejected. Made once per
     * round and sent again with every re-sent header, like a real attacker replaying its forgery.
     */
    private void forge(Header h, List<Delivery> out) {
        Certificate[] forged = forgeries.computeIfAbsent(h.round(), r -> makeForgeries(h));
        for (int p = 0; p < committee.size(); p++) {
            if (p == self) continue;
            out.add(new Delivery(p, new CertificateMessage(forged[random.nextInt(2)])));
        }
    }

    private Certificate[] makeForgeries(Header h) {
        byte[] extra = new byte[32];
        random.nextBytes(extra);
        Header fake = Header.of(h.epoch(), h.round(), h.author(), h.timestampMs() + 2, List.of(Digest.of(extra)), h.parents());
        // 1. every validator "signed": colluders for real, random bytes for the others.
        TreeMap<Integer, Signature> all = new TreeMap<>();
        for (int i = 0; i < committee.size(); i++) {
            KeyPair k = colluderKeys.get(i);
            all.put(i, k != null ? k.sign(fake.voteMessage()) : randomSignature());
        }
        Certificate forgedAll = new Certificate(fake, SignerBitmap.of(all.keySet()), List.copyOf(all.values()));
        // 2. only the colluders, all real: below the quorum.
        TreeMap<Integer, Signature> colluders = new TreeMap<>();
        for (Map.Entry<Integer, KeyPair> e : colluderKeys.entrySet()) colluders.put(e.getKey(), all.get(e.getKey()));
        Certificate forgedFew = new Certificate(fake, SignerBitmap.of(colluders.keySet()), List.copyOf(colluders.values()));
        return new Certificate[] {forgedAll, forgedFew};
    }

    private Signature randomSignature() {
        byte[] b = new byte[Signature.LENGTH];
        random.nextBytes(b);
        return Signature.of(b);
    }

    private Signature corrupt(Signature s) {
        byte[] b = s.toBytes();
        b[random.nextInt(b.length)] ^= (byte) (1 + random.nextInt(255));
        return Signature.of(b);
    }

    private Certificate corruptOneSignature(Certificate c) {
        List<Signature> sigs = new ArrayList<>(c.signatures());
        int k = random.nextInt(sigs.size());
        sigs.set(k, corrupt(sigs.get(k)));
        return new Certificate(c.header(), c.signers(), sigs);
    }
}
