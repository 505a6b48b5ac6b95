package dev.shoal.sequencer.core.types;

import dev.shoal.sequencer.core.codec.CanonicalReader;
import dev.shoal.sequencer.core.codec.CanonicalWriter;
import dev.shoal.sequencer.core.codec.CodecException;
import dev.shoal.sequencer.core.codec.CodecLimits;
import dev.shoal.sequencer.core.codec.Encodable;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A validator's proposal for one round: the batches it adds and the certificates of the
 * previous round it builds on. Parents are sorted ascending and unique, so a header has one
 * encoding and one digest.
 */
public final class Header implements Encodable {
    private static final String DOMAIN = "shoal.header";
    private static final String VOTE_DOMAIN = "shoal.vote";

    private final long epoch;
    private final long round;
    private final int author;
    private final long timestampMs;
    private final List<Digest> batchDigests;
    private final List<Digest> parents;
    private final Digest digest;

    public Header(long epoch, long round, int author, long timestampMs, List<Digest> batchDigests, List<Digest> parents) {
        this(epoch, round, author, timestampMs, batchDigests, parents, null);
    }

    /** @param encoded this header's canonical encoding if the caller holds it (hashed as is), else null */
    private Header(long epoch, long round, int author, long timestampMs, List<Digest> batchDigests, List<Digest> parents,
                   byte[] encoded) {
        if (epoch < 0 || round < 0 || author < 0 || timestampMs < 0) {
            throw new IllegalArgumentException("header fields must be non-negative");
        }
        this.epoch = epoch;
        this.round = round;
        this.author = author;
        this.timestampMs = timestampMs;
        this.batchDigests = List.copyOf(batchDigests);
        this.parents = List.copyOf(parents);
        for (int i = 1; i < this.parents.size(); i++) {
            if (this.parents.get(i - 1).compareTo(this.parents.get(i)) >= 0) {
                throw new IllegalArgumentException("header parents must be sorted ascending and unique");
            }
        }
        if (hasDuplicate(this.batchDigests)) {
            throw new IllegalArgumentException("header references a batch twice");
        }
        this.digest = Digest.sha256(DOMAIN, encoded != null ? encoded : toBytes());
    }

    /** Headers carry few batch digests: pairwise comparison beats hashing them into a set. */
    private static boolean hasDuplicate(List<Digest> digests) {
        int n = digests.size();
        if (n > 32) return new java.util.HashSet<>(digests).size() != n;
        for (int i = 1; i < n; i++) {
            Digest d = digests.get(i);
            for (int j = 0; j < i; j++) {
                if (d.equals(digests.get(j))) return true;
            }
        }
        return false;
    }

    /** Builds a header, sorting the parents into canonical order. */
    public static Header of(long epoch, long round, int author, long timestampMs, List<Digest> batchDigests,
                            java.util.Collection<Digest> parents) {
        return new Header(epoch, round, author, timestampMs, batchDigests, parents.stream().sorted().distinct().toList());
    }

    public long epoch() { return epoch; }
    public long round() { return round; }
    public int author() { return author; }
    public long timestampMs() { return timestampMs; }
    public List<Digest> batchDigests() { return batchDigests; }
    public List<Digest> parents() { return parents; }
    public Digest digest() { return digest; }

    /** The bytes a vote for this header signs: a domain tag and the header digest. */
    public byte[] voteMessage() {
        return voteMessage(digest);
    }

    public static byte[] voteMessage(Digest headerDigest) {
        CanonicalWriter w = new CanonicalWriter(48);
        w.fixed(VOTE_DOMAIN.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        headerDigest.encode(w);
        return w.toByteArray();
    }

    @Override
    public void encode(CanonicalWriter out) {
        out.u64(epoch).u64(round).u32(author).u64(timestampMs);
        out.list(batchDigests, (w, d) -> d.encode(w));
        out.list(parents, (w, d) -> d.encode(w));
    }

    public static Header decode(CanonicalReader in) {
        return decode(in, null, null);
    }

    /**
     * Decodes a buffer that holds exactly one header (a stored header row), hashing the buffer
     * itself instead of re-encoding the decoded header: the canonical layout (fixed-width
     * integers, u64-counted lists of fixed-size digests) gives every header exactly one
     * encoding, so any input that decodes is byte for byte what {@link #toBytes()} would return.
     */
    public static Header decode(byte[] encoded, CodecLimits limits) {
        return decode(new CanonicalReader(encoded, limits), encoded, null);
    }

    /**
     * As {@link #decode(byte[], CodecLimits)}, passing every parent digest through parents, which
     * may return an equal digest already in memory (the parent certificate's own): a replay that
     * holds a whole history then keeps one copy of each digest instead of one per child.
     */
    public static Header decode(byte[] encoded, CodecLimits limits, UnaryOperator<Digest> parents) {
        return decode(new CanonicalReader(encoded, limits), encoded, parents);
    }

    /**
     * @param whole    the reader's whole input when the header must fill it (and is hashed from it), else null
     * @param interner maps each decoded parent digest to an equal one, or null
     */
    private static Header decode(CanonicalReader in, byte[] whole, UnaryOperator<Digest> interner) {
        long epoch = in.u64NonNegative("epoch");
        long round = in.u64NonNegative("round");
        int author = in.u32AsInt("author");
        long ts = in.u64NonNegative("timestamp");
        List<Digest> batches = in.list(Digest::decode, Digest.LENGTH);
        List<Digest> parents = interner == null ? in.list(Digest::decode, Digest.LENGTH)
                : in.list(r -> interner.apply(Digest.decode(r)), Digest.LENGTH);
        if (whole != null) in.expectEnd();
        try {
            return new Header(epoch, round, author, ts, batches, parents, whole);
        } catch (IllegalArgumentException e) {
            throw new CodecException("invalid header: " + e.getMessage());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Header h && digest.equals(h.digest);
    }

    @Override
    public int hashCode() {
        return digest.hashCode();
    }

    @Override
    public String toString() {
        return "Header[r" + round + " a" + author + " " + digest.shortHex() + " parents=" + parents.size()
                + " batches=" + batchDigests.size() + "]";
    }
}
