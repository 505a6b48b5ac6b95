package dev.shoal.sequencer.core.types;

import dev.shoal.sequencer.core.codec.CanonicalReader;
import dev.shoal.sequencer.core.codec.CanonicalWriter;
import dev.shoal.sequencer.core.codec.CodecException;
import dev.shoal.sequencer.core.codec.Encodable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The validators of one epoch in a fixed order: sorted by public key, so every node derives the
 * same index for every validator whatever order its committee file lists them in.
 * With total stake N, f = (N-1)/3; a quorum is {@code 2N/3 + 1} stake (2f+1 when N = 3f+1),
 * validity is {@code (N+2)/3} stake (f+1).
 */
public final class Committee implements Encodable {
    private final long epoch;
    private final List<Validator> validators;
    private final Map<PublicKey, Integer> indexByKey;
    private final long totalStake;
    private final List<Certificate> genesis;

    public Committee(long epoch, Collection<Validator> members) {
        if (epoch < 0) throw new IllegalArgumentException("epoch must be non-negative");
        if (members.isEmpty()) throw new IllegalArgumentException("a committee needs at least one validator");
        List<Validator> sorted = new ArrayList<>(members);
        sorted.sort(Comparator.comparing(Validator::publicKey));
        Map<PublicKey, Integer> index = new HashMap<>();
        long total = 0;
        for (int i = 0; i < sorted.size(); i++) {
            Validator v = sorted.get(i);
            if (index.put(v.publicKey(), i) != null) {
                throw new IllegalArgumentException("validator key " + v.publicKey() + " appears twice in the committee");
            }
            if (total > Long.MAX_VALUE - v.stake()) {
                throw new IllegalArgumentException("committee total stake exceeds 2^63-1");
            }
            total += v.stake();
        }
        this.epoch = epoch;
        this.validators = List.copyOf(sorted);
        this.indexByKey = Map.copyOf(index);
        this.totalStake = total;
        List<Certificate> g = new ArrayList<>(sorted.size());
        for (int i = 0; i < sorted.size(); i++) {
            g.add(new Certificate(new Header(epoch, 0, i, 0, List.of(), List.of()), SignerBitmap.EMPTY, List.of()));
        }
        this.genesis = List.copyOf(g);
    }

    public long epoch() { return epoch; }
    public int size() { return validators.size(); }
    public List<Validator> validators() { return validators; }
    public Validator validator(int index) { return validators.get(index); }
    public long totalStake() { return totalStake; }

    public boolean isMember(int index) {
        return index >= 0 && index < validators.size();
    }

    public long stake(int index) {
        return validators.get(index).stake();
    }

    public OptionalInt indexOf(PublicKey key) {
        Integer i = indexByKey.get(key);
        return i == null ? OptionalInt.empty() : OptionalInt.of(i);
    }

    /** Stake of the largest tolerated faulty set: (N-1)/3. */
    public long maxFaultyStake() {
        return (totalStake - 1) / 3;
    }

    /** 2f+1: stake needed for a certificate and for advancing a round. */
    public long quorumThreshold() {
        return 2 * totalStake / 3 + 1;
    }

    /** f+1: stake that guarantees at least one honest validator (direct commit support). */
    public long validityThreshold() {
        return (totalStake + 2) / 3;
    }

    /** Total stake of the given validator indexes (each counted once). */
    public long stakeOf(Collection<Integer> indexes) {
        long s = 0;
        for (int i : new java.util.TreeSet<>(indexes)) {
            if (isMember(i)) s += stake(i);
        }
        return s;
    }

    /** The deterministic round-0 certificate of each validator, in committee order. */
    public List<Certificate> genesis() {
        return genesis;
    }

    /** One Ed25519 check; lets a caller put a cache of results in front (the simulator shares one). */
    @FunctionalInterface
    public interface SignatureCheck {
        boolean verify(PublicKey key, byte[] message, Signature signature);
    }

    /**
     * Checks a certificate against this committee: epoch, known author, and for round > 0 a
     * quorum of known signers whose signatures all verify. Returns the reason it is invalid.
     * Genesis certificates must be exactly this committee's genesis.
     */
    public Optional<String> checkCertificate(Certificate c) {
        return checkCertificate(c, PublicKey::verify);
    }

    /** {@link #checkCertificate(Certificate)} with the signature check supplied by the caller. */
    public Optional<String> checkCertificate(Certificate c, SignatureCheck signatureCheck) {
        Header h = c.header();
        if (h.epoch() != epoch) return Optional.of("wrong epoch " + h.epoch() + ", committee epoch is " + epoch);
        if (!isMember(h.author())) return Optional.of("unknown author index " + h.author());
        if (h.round() == 0) {
            return genesis.get(h.author()).equals(c) ? Optional.empty() : Optional.of("round-0 certificate is not the genesis");
        }
        List<Integer> signers = c.signers().signers();
        for (int s : signers) {
            if (!isMember(s)) return Optional.of("unknown signer index " + s);
        }
        long stake = stakeOf(signers);
        if (stake < quorumThreshold()) {
            return Optional.of("signer stake " + stake + " is below the quorum " + quorumThreshold());
        }
        byte[] message = h.voteMessage();
        for (int k = 0; k < signers.size(); k++) {
            int s = signers.get(k);
            if (!signatureCheck.verify(validators.get(s).publicKey(), message, c.signatures().get(k))) {
                return Optional.of("invalid signature of signer " + s);
            }
        }
        return Optional.empty();
    }

    @Override
    public void encode(CanonicalWriter out) {
        out.u64(epoch);
        out.list(validators, (w, v) -> v.encode(w));
    }

    public static Committee decode(CanonicalReader in) {
        long epoch = in.u64NonNegative("epoch");
        List<Validator> vs = in.list(Validator::decode, 8 + 32 + 8 + 8);
        try {
            Committee c = new Committee(epoch, vs);
            if (!c.validators.equals(vs)) throw new CodecException("committee validators are not in canonical order");
            return c;
        } catch (IllegalArgumentException e) {
            throw new CodecException("invalid committee: " + e.getMessage());
        }
    }

    /** Two committees are equal when they have the same epoch and the same validators (canonical order). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Committee c && epoch == c.epoch && validators.equals(c.validators);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(epoch) + validators.hashCode();
    }

    @Override
    public String toString() {
        return "Committee[epoch " + epoch + ", " + validators.size() + " validators, stake " + totalStake + "]";
    }
}
