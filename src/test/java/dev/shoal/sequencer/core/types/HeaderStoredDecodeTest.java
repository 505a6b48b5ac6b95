package dev.shoal.sequencer.core.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.sequencer.core.codec.Codec;
import dev.shoal.sequencer.core.codec.CodecException;
import dev.shoal.sequencer.core.codec.CodecLimits;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * {@link Header#decode(byte[], CodecLimits)}, the whole-buffer decode recovery reads stored headers
 * with, hashes its input instead of re-encoding: it must agree with the reader decode followed by
 * a re-encode on every input, valid or not (same header, same digest, or both refuse).
 */
class HeaderStoredDecodeTest {
    private static final CodecLimits LIMITS = CodecLimits.DEFAULT;

    /** The reference: decode through a reader, digest from the re-encoded header. */
    private static Header reference(byte[] bytes) {
        return Codec.decode(bytes, LIMITS, Header::decode);
    }

    private static void assertAgrees(byte[] bytes) {
        Header expected;
        try {
            expected = reference(bytes);
        } catch (CodecException e) {
            assertThatThrownBy(() -> Header.decode(bytes, LIMITS)).isInstanceOf(CodecException.class);
            return;
        }
        Header h = Header.decode(bytes, LIMITS);
        assertThat(h.digest()).isEqualTo(expected.digest()).isEqualTo(Digest.sha256("shoal.header", bytes));
        assertThat(h.toBytes()).isEqualTo(bytes);
        assertThat(h.parents()).isEqualTo(expected.parents());
        assertThat(h.batchDigests()).isEqualTo(expected.batchDigests());
        assertThat(h.timestampMs()).isEqualTo(expected.timestampMs());
    }

    @Test
    void theGoldenHeaderDecodesToItsGoldenDigest() {
        byte[] bytes = Hex.decode(GoldenVectorsTest.HEADER);
        assertThat(Header.decode(bytes, LIMITS).digest().toHex()).isEqualTo(GoldenVectorsTest.HEADER_DIGEST);
        assertThat(Header.decode(bytes, LIMITS)).isEqualTo(GoldenFixtures.header());
    }

    @Test
    void refusesTrailingBytesTruncationAndUnsortedParents() {
        byte[] bytes = GoldenFixtures.header().toBytes();
        assertThatThrownBy(() -> Header.decode(Arrays.copyOf(bytes, bytes.length + 1), LIMITS))
                .isInstanceOf(CodecException.class).hasMessageStartingWith("trailing bytes");
        assertThatThrownBy(() -> Header.decode(Arrays.copyOf(bytes, bytes.length - 1), LIMITS))
                .isInstanceOf(CodecException.class).hasMessageStartingWith("truncated input");
        Digest low = Digest.of(new byte[32]);
        byte[] high = new byte[32];
        Arrays.fill(high, (byte) 0xFF);
        Header sorted = new Header(0, 3, 1, 5, List.of(), List.of(low, Digest.of(high)));
        byte[] swapped = sorted.toBytes();
        int parents = swapped.length - 64;
        System.arraycopy(high, 0, swapped, parents, 32);
        System.arraycopy(new byte[32], 0, swapped, parents + 32, 32);
        assertThatThrownBy(() -> Header.decode(swapped, LIMITS)).isInstanceOf(CodecException.class)
                .hasMessageContaining("invalid header");
    }

    @Test
    void refusesABatchReferencedTwiceAsTheConstructorDoes() {
        Digest b = Digest.sha256(new byte[] {1});
        Header once = new Header(0, 2, 0, 1, List.of(b, Digest.sha256(new byte[] {2})), List.of());
        byte[] twice = once.toBytes();
        // The second batch digest starts after the 28 fixed bytes, the batch count and the first digest.
        System.arraycopy(b.toBytes(), 0, twice, 28 + 8 + 32, 32);
        assertThatThrownBy(() -> Header.decode(twice, LIMITS)).isInstanceOf(CodecException.class)
                .hasMessageContaining("references a batch twice");
        assertThatThrownBy(() -> new Header(0, 2, 0, 1, List.of(b, b), List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parentsCanBeSharedWithDigestsAlreadyInMemory() {
        Header h = GoldenFixtures.header();
        java.util.Map<Digest, Digest> known = new java.util.HashMap<>();
        for (Digest p : h.parents()) known.put(p, Digest.of(p.toBytes()));
        Header shared = Header.decode(h.toBytes(), LIMITS, d -> known.getOrDefault(d, d));
        assertThat(shared).isEqualTo(h);
        assertThat(shared.digest()).isEqualTo(h.digest());
        assertThat(shared.parents()).isNotEmpty();
        for (Digest p : shared.parents()) assertThat(p).isSameAs(known.get(p));
    }

    @Property(tries = 300)
    void agreesWithTheReencodingDecodeOnValidHeaders(@ForAll("headers") Header h) {
        assertAgrees(h.toBytes());
        assertThat(Header.decode(h.toBytes(), LIMITS)).isEqualTo(h);
    }

    @Property(tries = 1000)
    void agreesWithTheReencodingDecodeOnMutatedHeaders(@ForAll("headers") Header h, @ForAll("mutations") List<int[]> mutations) {
        byte[] bytes = h.toBytes();
        for (int[] m : mutations) {
            int at = Math.floorMod(m[0], bytes.length);
            bytes[at] = (byte) m[1];
        }
        assertAgrees(bytes);
    }

    @Provide
    Arbitrary<Header> headers() {
        Arbitrary<Digest> digests = Arbitraries.bytes().array(byte[].class).ofSize(32).map(Digest::of);
        Arbitrary<Long> longs = Arbitraries.longs().between(0, Long.MAX_VALUE);
        return Combinators.combine(longs, longs, Arbitraries.integers().between(0, 200), longs,
                        digests.list().uniqueElements().ofMaxSize(40), digests.set().ofMaxSize(12))
                .as(Header::of);
    }

    @Provide
    Arbitrary<List<int[]>> mutations() {
        Arbitrary<int[]> one = Combinators.combine(Arbitraries.integers().between(0, Integer.MAX_VALUE),
                Arbitraries.integers().between(0, 255)).as((at, v) -> new int[] {at, v});
        return one.list().ofMinSize(1).ofMaxSize(3);
    }
}
