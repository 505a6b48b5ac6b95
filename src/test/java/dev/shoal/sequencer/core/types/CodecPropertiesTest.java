package dev.shoal.sequencer.core.types;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.sequencer.core.codec.CodecException;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of the canonical codec of every core type:
 * <ul>
 *   <li>round trip: {@code decode(encode(x))} equals {@code x} and encodes to the same bytes;</li>
 *   <li>one value, one encoding: any bytes either fail with a {@link CodecException} or decode to
 *       a value whose encoding is exactly those bytes. Checked on random bytes and, to reach
 *       past the first field, on valid encodings with a few mutations applied.</li>
 * </ul>
 * jqwik prints the seed of a failing run; tries are kept moderate so the class runs in seconds.
 */
class CodecPropertiesTest {

    // ---- round trips -------------------------------------------------------------------------

    private static <T> void assertRoundTrip(CodecCase<T> codec, T value) {
        byte[] bytes = codec.encode(value);
        T decoded = codec.decode(bytes);
        assertThat(decoded).isEqualTo(value);
        assertThat(codec.encode(decoded)).isEqualTo(bytes);
    }

    @Property(tries = 200)
    void digestRoundTrip(@ForAll("digests") Digest v) {
        assertRoundTrip(CodecCase.DIGEST, v);
    }

    @Property(tries = 200)
    void publicKeyRoundTrip(@ForAll("publicKeys") PublicKey v) {
        assertRoundTrip(CodecCase.PUBLIC_KEY, v);
    }

    @Property(tries = 200)
    void signatureRoundTrip(@ForAll("signatures") Signature v) {
        assertRoundTrip(CodecCase.SIGNATURE, v);
    }

    @Property(tries = 200)
    void signerBitmapRoundTrip(@ForAll("signerBitmaps") SignerBitmap v) {
        assertRoundTrip(CodecCase.SIGNER_BITMAP, v);
        assertThat(SignerBitmap.of(v.signers())).isEqualTo(v);
    }

    @Property(tries = 200)
    void transactionRoundTrip(@ForAll("transactions") Transaction v) {
        assertRoundTrip(CodecCase.TRANSACTION, v);
    }

    @Property(tries = 200)
    void batchRoundTrip(@ForAll("batches") Batch v) {
        assertRoundTrip(CodecCase.BATCH, v);
        assertThat(CodecCase.BATCH.decode(v.toBytes()).digest()).isEqualTo(v.digest());
    }

    @Property(tries = 200)
    void headerRoundTrip(@ForAll("headers") Header v) {
        assertRoundTrip(CodecCase.HEADER, v);
    }

    @Property(tries = 200)
    void voteRoundTrip(@ForAll("votes") Vote v) {
        assertRoundTrip(CodecCase.VOTE, v);
    }

    @Property(tries = 200)
    void certificateRoundTrip(@ForAll("certificates") Certificate v) {
        assertRoundTrip(CodecCase.CERTIFICATE, v);
    }

    @Property(tries = 200)
    void validatorRoundTrip(@ForAll("validators") Validator v) {
        assertRoundTrip(CodecCase.VALIDATOR, v);
    }

    @Property(tries = 100)
    void committeeRoundTrip(@ForAll("committees") Committee v) {
        assertRoundTrip(CodecCase.COMMITTEE, v);
        assertThat(CodecCase.COMMITTEE.decode(v.toBytes()).genesis()).isEqualTo(v.genesis());
    }

    // ---- one value, one encoding ---------------------------------------------------------------

    /**
     * Decodes, and when that succeeds checks that both the re-encoding and the encoding of the
     * value rebuilt from its meaning (through the public constructors) are the input bytes;
     * returns whether it decoded. The second check catches a decoder that keeps a
     * non-canonical form verbatim (re-encoding alone would not).
     */
    private static boolean decodesCanonicallyOrIsRejected(CodecCase<?> codec, byte[] bytes) {
        Object decoded;
        try {
            decoded = codec.decode(bytes);
        } catch (CodecException e) {
            assertThat(e.getMessage()).isNotBlank();
            return false;
        }
        assertThat(codec.encodeUnchecked(decoded)).as("%s re-encoding", codec).isEqualTo(bytes);
        assertThat(codec.encodeUnchecked(rebuilt(decoded))).as("%s rebuilt from its fields", codec).isEqualTo(bytes);
        return true;
    }

    /** The same value built again from its semantic content. */
    private static Object rebuilt(Object v) {
        if (v instanceof Digest d) return Digest.of(d.toBytes());
        if (v instanceof PublicKey k) return PublicKey.of(k.toBytes());
        if (v instanceof Signature s) return Signature.of(s.toBytes());
        if (v instanceof SignerBitmap b) return SignerBitmap.of(b.signers());
        if (v instanceof Transaction t) return Transaction.of(t.payload());
        if (v instanceof Batch b) return new Batch(b.author(), b.worker(), b.transactions().stream().map(t -> (Transaction) rebuilt(t)).toList());
        if (v instanceof Header h) {
            return Header.of(h.epoch(), h.round(), h.author(), h.timestampMs(), h.batchDigests(), h.parents());
        }
        if (v instanceof Vote x) {
            return new Vote(x.headerDigest(), x.epoch(), x.round(), x.headerAuthor(), x.voter(), x.signature());
        }
        if (v instanceof Certificate c) {
            return new Certificate((Header) rebuilt(c.header()), (SignerBitmap) rebuilt(c.signers()), c.signatures());
        }
        if (v instanceof Validator x) return new Validator(x.name(), x.publicKey(), x.stake(), x.address());
        if (v instanceof Committee c) {
            List<Validator> shuffled = new java.util.ArrayList<>(c.validators());
            java.util.Collections.reverse(shuffled);
            return new Committee(c.epoch(), shuffled);
        }
        throw new IllegalArgumentException("no rebuild for " + v.getClass());
    }

    @Property(tries = 1000)
    void randomBytesAreRejectedOrCanonical(@ForAll("codecs") CodecCase<?> codec, @ForAll("randomBytes") byte[] bytes) {
        boolean decoded = decodesCanonicallyOrIsRejected(codec, bytes);
        Statistics.collect(decoded ? "decoded" : "rejected");
    }

    /**
     * Edge-case mode off so that the types are drawn evenly (jqwik would otherwise spend its
     * edge cases on the first alternatives); the mutations themselves bring the boundary values.
     * The coverage check makes sure every type saw both outcomes, so the property really got
     * past the first field of each type and not only into the decoders' first rejections.
     */
    @Property(tries = 3000, edgeCases = EdgeCasesMode.NONE)
    void mutatedEncodingsAreRejectedOrCanonical(@ForAll("mutated") Mutated m) {
        boolean decoded = decodesCanonicallyOrIsRejected(m.codec(), m.bytes());
        Statistics.label("outcome").collect(m.codec().name(), decoded ? "decoded" : "rejected");
        Statistics.label("outcome").coverage(coverage -> {
            for (CodecCase<?> codec : CodecCase.ALL) {
                coverage.check(codec.name(), "decoded").count(n -> n > 0);
                coverage.check(codec.name(), "rejected").count(n -> n > 0);
            }
        });
    }

    // ---- generators ----------------------------------------------------------------------------

    private static Arbitrary<byte[]> fixedBytes(int n) {
        return Arbitraries.bytes().array(byte[].class).ofSize(n);
    }

    @Provide
    Arbitrary<byte[]> randomBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
    }

    @Provide
    Arbitrary<Digest> digests() {
        return fixedBytes(Digest.LENGTH).map(Digest::of);
    }

    @Provide
    Arbitrary<PublicKey> publicKeys() {
        return fixedBytes(PublicKey.LENGTH).map(PublicKey::of);
    }

    @Provide
    Arbitrary<Signature> signatures() {
        return fixedBytes(Signature.LENGTH).map(Signature::of);
    }

    @Provide
    Arbitrary<SignerBitmap> signerBitmaps() {
        return Arbitraries.integers().between(0, 200).set().ofMaxSize(12).map(SignerBitmap::of);
    }

    @Provide
    Arbitrary<Transaction> transactions() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(Transaction::of);
    }

    private static Arbitrary<Long> nonNegativeLongs() {
        return Arbitraries.longs().between(0, Long.MAX_VALUE);
    }

    private static Arbitrary<Integer> indexes() {
        return Arbitraries.integers().between(0, Integer.MAX_VALUE);
    }

    @Provide
    Arbitrary<Batch> batches() {
        return Combinators.combine(indexes(), indexes(), transactions().list().ofMaxSize(5)).as(Batch::new);
    }

    @Provide
    Arbitrary<Header> headers() {
        return Combinators.combine(nonNegativeLongs(), nonNegativeLongs(), indexes(), nonNegativeLongs(),
                        digests().list().uniqueElements().ofMaxSize(4), digests().set().ofMaxSize(5))
                .as(Header::of);
    }

    @Provide
    Arbitrary<Vote> votes() {
        return Combinators.combine(digests(), nonNegativeLongs(), nonNegativeLongs(), indexes(), indexes(), signatures())
                .as(Vote::new);
    }

    @Provide
    Arbitrary<Certificate> certificates() {
        Arbitrary<Certificate> signed = Combinators.combine(headers(), signerBitmaps())
                .flatAs((h, bitmap) -> signatures().list().ofSize(bitmap.count())
                        .map(sigs -> new Certificate(h, bitmap, sigs)));
        return Arbitraries.oneOf(signed, committees().map(c -> c.genesis().get(0)));
    }

    /** Text of any Unicode scalar values (no lone surrogates: they have no UTF-8 form), mostly ASCII. */
    private static Arbitrary<String> text() {
        Arbitrary<Integer> codePoints = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(0x20, 0x7E)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 0x10FFFF)
                        .filter(cp -> cp < 0xD800 || cp > 0xDFFF)));
        return codePoints.list().ofMaxSize(12).map(cps -> {
            StringBuilder sb = new StringBuilder();
            cps.forEach(sb::appendCodePoint);
            return sb.toString();
        });
    }

    private static Arbitrary<Validator> validators(Arbitrary<Long> stakes) {
        return Combinators.combine(text().filter(s -> !s.isBlank()), fixedBytes(32).map(PublicKey::of), stakes, text())
                .as(Validator::new);
    }

    @Provide
    Arbitrary<Validator> validators() {
        return validators(Arbitraries.longs().between(1, Long.MAX_VALUE));
    }

    @Provide
    Arbitrary<Committee> committees() {
        // Stakes small enough that no committee's total overflows.
        Arbitrary<List<Validator>> members = validators(Arbitraries.longs().between(1, 1_000_000))
                .list().ofMinSize(1).ofMaxSize(6).uniqueElements(Validator::publicKey);
        return Combinators.combine(nonNegativeLongs(), members).as(Committee::new);
    }

    @Provide
    Arbitrary<CodecCase<?>> codecs() {
        return Arbitraries.of(CodecCase.ALL);
    }

    // ---- mutations of valid encodings ----------------------------------------------------------

    /** A valid encoding of one type with some mutations applied. */
    record Mutated(CodecCase<?> codec, byte[] original, List<Mutation> mutations, byte[] bytes) {
        @Override
        public String toString() {
            return codec + " " + mutations + " original " + Hex.encode(original) + " mutated " + Hex.encode(bytes);
        }
    }

    enum Kind { FLIP_BIT, SET_BYTE, INSERT_BYTE, DELETE_BYTE, TRUNCATE, APPEND, OVERWRITE_U64, OVERWRITE_U32 }

    /** Length-like and boundary values: limits, 2^31, 2^32, 2^63, 2^64-1, small counts. */
    private static final long[] INTERESTING = {0, 1, 2, 3, 4, 7, 8, 31, 32, 33, 63, 64, 65, 0x7F, 0x80, 0xFF, 0x100,
            100_000, 100_001, 4L << 20, (4L << 20) + 1, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL, 1L << 32,
            Long.MAX_VALUE, Long.MIN_VALUE, -1L};

    record Mutation(Kind kind, int position, long value) {
        byte[] apply(byte[] in) {
            int n = in.length;
            int at = n == 0 ? 0 : Math.floorMod(position, n);
            switch (kind) {
                case FLIP_BIT:
                    if (n == 0) return in;
                    byte[] flipped = in.clone();
                    flipped[at] ^= (byte) (1 << (value & 7));
                    return flipped;
                case SET_BYTE:
                    if (n == 0) return in;
                    byte[] set = in.clone();
                    set[at] = (byte) value;
                    return set;
                case INSERT_BYTE: {
                    byte[] out = new byte[n + 1];
                    System.arraycopy(in, 0, out, 0, at);
                    out[at] = (byte) value;
                    System.arraycopy(in, at, out, at + 1, n - at);
                    return out;
                }
                case DELETE_BYTE: {
                    if (n == 0) return in;
                    byte[] out = new byte[n - 1];
                    System.arraycopy(in, 0, out, 0, at);
                    System.arraycopy(in, at + 1, out, at, n - at - 1);
                    return out;
                }
                case TRUNCATE:
                    return Arrays.copyOf(in, at);
                case APPEND:
                    return Arrays.copyOf(in, n + 1 + (int) (value & 7));
                case OVERWRITE_U64:
                    return overwrite(in, at, INTERESTING[(int) Math.floorMod(value, (long) INTERESTING.length)], 8);
                case OVERWRITE_U32:
                    return overwrite(in, at, INTERESTING[(int) Math.floorMod(value, (long) INTERESTING.length)], 4);
                default:
                    throw new IllegalStateException(kind.toString());
            }
        }

        private static byte[] overwrite(byte[] in, int at, long v, int width) {
            if (in.length < width) return in;
            int start = Math.min(at, in.length - width);
            byte[] out = in.clone();
            for (int i = 0; i < width; i++) out[start + i] = (byte) (v >>> (8 * i));
            return out;
        }
    }

    private <T> Arbitrary<Mutated> mutatedOf(CodecCase<T> codec, Arbitrary<T> values) {
        Arbitrary<Mutation> mutation = Combinators.combine(Arbitraries.of(Kind.class),
                        Arbitraries.integers().between(0, Integer.MAX_VALUE), Arbitraries.longs())
                .as(Mutation::new);
        return Combinators.combine(values, mutation.list().ofMinSize(1).ofMaxSize(3)).as((value, mutations) -> {
            byte[] original = codec.encode(value);
            byte[] bytes = original;
            for (Mutation m : mutations) bytes = m.apply(bytes);
            return new Mutated(codec, original, mutations, bytes);
        });
    }

    @Provide
    Arbitrary<Mutated> mutated() {
        return Arbitraries.oneOf(
                mutatedOf(CodecCase.DIGEST, digests()),
                mutatedOf(CodecCase.PUBLIC_KEY, publicKeys()),
                mutatedOf(CodecCase.SIGNATURE, signatures()),
                mutatedOf(CodecCase.SIGNER_BITMAP, signerBitmaps()),
                mutatedOf(CodecCase.TRANSACTION, transactions()),
                mutatedOf(CodecCase.BATCH, batches()),
                mutatedOf(CodecCase.HEADER, headers()),
                mutatedOf(CodecCase.VOTE, votes()),
                mutatedOf(CodecCase.CERTIFICATE, certificates()),
                mutatedOf(CodecCase.VALIDATOR, validators()),
                mutatedOf(CodecCase.COMMITTEE, committees()));
    }
}
