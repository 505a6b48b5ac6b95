package dev.shoal.sequencer.core.types;

import dev.shoal.sequencer.core.crypto.KeyPair;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fixed values behind the golden vectors: deterministic keys (secret seed = 32 copies of
 * one byte) and small, hand-readable types built from them. Changing anything here changes
 * the golden hex in {@link GoldenVectorsTest}, which is the point.
 */
final class GoldenFixtures {
    static final long EPOCH = 7;
    static final long TIMESTAMP_MS = 1_700_000_000_000L;

    private GoldenFixtures() {}

    /** Key i: the secret seed is 32 bytes of value i+1. */
    static KeyPair key(int i) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) (i + 1));
        return KeyPair.fromSecret(seed);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** SHA-256("abc"), the FIPS 180-2 example. */
    static Digest digestAbc() {
        return Digest.sha256(ascii("abc"));
    }

    static Transaction transactionAbc() {
        return Transaction.of(ascii("abc"));
    }

    static Batch batch() {
        return new Batch(1, 2, List.of(Transaction.of(ascii("abc")), Transaction.of(new byte[0])));
    }

    static Validator validator(int i) {
        return new Validator("v" + i, key(i).publicKey(), i + 1, "127.0.0.1:900" + i);
    }

    /** Four validators with stakes 1..4 (total 10, quorum 7); committee order is by public key. */
    static Committee committee() {
        List<Validator> vs = new ArrayList<>();
        for (int i = 0; i < 4; i++) vs.add(validator(i));
        return new Committee(EPOCH, vs);
    }

    /** The key pair of the validator at committee index {@code index}. */
    static KeyPair keyAt(Committee c, int index) {
        PublicKey pk = c.validator(index).publicKey();
        for (int i = 0; i < 4; i++) {
            if (key(i).publicKey().equals(pk)) return key(i);
        }
        throw new IllegalStateException("no fixture key for index " + index);
    }

    /** Round 1 header of committee index 2 with one batch and all four genesis parents. */
    static Header header() {
        Committee c = committee();
        List<Digest> parents = c.genesis().stream().map(Certificate::digest).toList();
        return Header.of(EPOCH, 1, 2, TIMESTAMP_MS, List.of(batch().digest()), parents);
    }

    static Vote vote() {
        Header h = header();
        Committee c = committee();
        return new Vote(h.digest(), h.epoch(), h.round(), h.author(), 0, keyAt(c, 0).sign(h.voteMessage()));
    }

    /** Committee indexes of every validator but the one with stake 1: stake 2+3+4 = 9 >= quorum 7. */
    static List<Integer> signerIndexes() {
        Committee c = committee();
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < c.size(); i++) {
            if (c.stake(i) > 1) out.add(i);
        }
        return out;
    }

    /** The header certified by {@link #signerIndexes()}, signatures in ascending signer order. */
    static Certificate signedCertificate() {
        Header h = header();
        Committee c = committee();
        List<Signature> sigs = new ArrayList<>();
        for (int s : signerIndexes()) sigs.add(keyAt(c, s).sign(h.voteMessage()));
        return new Certificate(h, SignerBitmap.of(signerIndexes()), sigs);
    }
}
