package dev.shoal.sequencer.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The primitives of the canonical layout, and the reader's rejection of every malformed primitive. */
class CanonicalCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] hex(String s) {
        return HEX.parseHex(s);
    }

    private static String hexOf(CanonicalWriter w) {
        return HEX.formatHex(w.toByteArray());
    }

    private static <T> T decode(String hex, Function<CanonicalReader, T> f) {
        return Codec.decode(hex(hex), f);
    }

    @Test
    void integersAreLittleEndianFixedWidth() {
        assertThat(hexOf(new CanonicalWriter().u8(0xAB))).isEqualTo("ab");
        assertThat(hexOf(new CanonicalWriter().u32(0x01020304L))).isEqualTo("04030201");
        assertThat(hexOf(new CanonicalWriter().u32(0xFFFF_FFFFL))).isEqualTo("ffffffff");
        assertThat(hexOf(new CanonicalWriter().u64(0x0102030405060708L))).isEqualTo("0807060504030201");
        assertThat(hexOf(new CanonicalWriter().u64(-1L))).isEqualTo("ffffffffffffffff");
        assertThat(hexOf(new CanonicalWriter().bool(true).bool(false))).isEqualTo("0100");

        assertThat(decode("ab", CanonicalReader::u8)).isEqualTo(0xAB);
        assertThat(decode("04030201", CanonicalReader::u32)).isEqualTo(0x01020304L);
        assertThat(decode("ffffffff", CanonicalReader::u32)).isEqualTo(0xFFFF_FFFFL);
        assertThat(decode("0807060504030201", CanonicalReader::u64)).isEqualTo(0x0102030405060708L);
        assertThat(decode("ffffffffffffffff", CanonicalReader::u64)).isEqualTo(-1L);
        long maxLong = decode("ffffffffffffff7f", r -> r.u64NonNegative("x"));
        assertThat(maxLong).isEqualTo(Long.MAX_VALUE);
        int maxInt = decode("ffffff7f", r -> r.u32AsInt("x"));
        assertThat(maxInt).isEqualTo(Integer.MAX_VALUE);
        assertThat(decode("01", CanonicalReader::bool)).isTrue();
        assertThat(decode("00", CanonicalReader::bool)).isFalse();
    }

    @Test
    void byteStringsStringsAndListsHaveU64Prefixes() {
        assertThat(hexOf(new CanonicalWriter().bytes(new byte[] {1, 2}))).isEqualTo("02000000000000000102");
        assertThat(hexOf(new CanonicalWriter().bytes(new byte[0]))).isEqualTo("0000000000000000");
        assertThat(hexOf(new CanonicalWriter().string("é"))).isEqualTo("0200000000000000c3a9");
        assertThat(hexOf(new CanonicalWriter().fixed(new byte[] {9, 8}))).isEqualTo("0908");
        assertThat(hexOf(new CanonicalWriter().list(List.of(1L, 2L), CanonicalWriter::u32)))
                .isEqualTo("0200000000000000" + "01000000" + "02000000");

        assertThat(decode("02000000000000000102", CanonicalReader::bytes)).containsExactly(1, 2);
        assertThat(decode("0200000000000000c3a9", CanonicalReader::string)).isEqualTo("é");
        List<Long> u32s = decode("0200000000000000" + "01000000" + "02000000", r -> r.list(CanonicalReader::u32, 4));
        assertThat(u32s).containsExactly(1L, 2L);
    }

    @Test
    void writerRejectsOutOfRangeValues() {
        assertThatThrownBy(() -> new CanonicalWriter().u8(256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CanonicalWriter().u8(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CanonicalWriter().u32(1L << 32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CanonicalWriter().u32(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writerGrowsPastItsInitialCapacity() {
        CanonicalWriter w = new CanonicalWriter(1);
        for (int i = 0; i < 1000; i++) w.u64(i);
        assertThat(w.size()).isEqualTo(8000);
        CanonicalReader r = new CanonicalReader(w.toByteArray());
        for (int i = 0; i < 1000; i++) assertThat(r.u64()).isEqualTo(i);
        r.expectEnd();
    }

    @ParameterizedTest
    @ValueSource(strings = {"02", "03", "80", "ff"})
    void boolIsZeroOrOne(String hex) {
        assertThatThrownBy(() -> decode(hex, CanonicalReader::bool))
                .isExactlyInstanceOf(CodecException.class)
                .hasMessage("invalid bool " + Integer.parseInt(hex, 16) + " at offset 0");
    }

    @Test
    void nonNegativeU64RejectsTheTopBit() {
        assertThatThrownBy(() -> decode("0000000000000080", r -> r.u64NonNegative("round")))
                .isExactlyInstanceOf(CodecException.class)
                .hasMessage("round out of range (above 2^63-1)");
        assertThatThrownBy(() -> decode("ffffffffffffffff", r -> r.u64NonNegative("round")))
                .isExactlyInstanceOf(CodecException.class)
                .hasMessage("round out of range (above 2^63-1)");
    }

    @Test
    void u32AsIntRejectsValuesAboveIntMax() {
        assertThatThrownBy(() -> decode("00000080", r -> r.u32AsInt("index")))
                .isExactlyInstanceOf(CodecException.class)
                .hasMessage("index out of range: 2147483648");
    }

    @Test
    void everyPrimitiveReportsTruncation() {
        assertThatThrownBy(() -> decode("", CanonicalReader::u8)).hasMessage("truncated input: u8 needs 1 bytes at offset 0, 0 left");
        assertThatThrownBy(() -> decode("010203", CanonicalReader::u32)).hasMessage("truncated input: u32 needs 4 bytes at offset 0, 3 left");
        assertThatThrownBy(() -> decode("01020304050607", CanonicalReader::u64))
                .hasMessage("truncated input: u64 needs 8 bytes at offset 0, 7 left");
        assertThatThrownBy(() -> decode("0102", r -> r.fixed(32)))
                .hasMessage("truncated input: fixed 32 bytes needs 32 bytes at offset 0, 2 left");
        assertThatThrownBy(() -> decode("0300000000000000" + "0102", CanonicalReader::bytes))
                .hasMessage("truncated input: byte string needs 3 bytes at offset 8, 2 left");
        assertThatThrownBy(() -> decode("0300000000000000" + "01000000", r -> r.list(CanonicalReader::u32, 4)))
                .hasMessage("truncated input: list of 3 elements needs 12 bytes at offset 8, 4 left");
    }

    @Test
    void hugeLengthsAreCodecErrorsEvenWithUnboundedLimits() {
        CodecLimits unbounded = new CodecLimits(Long.MAX_VALUE, Long.MAX_VALUE);
        // 2^63-1 bytes: within the limit, so the remaining input decides; nothing is allocated.
        assertThatThrownBy(() -> Codec.decode(hex("ffffffffffffff7f"), unbounded, CanonicalReader::bytes))
                .isExactlyInstanceOf(CodecException.class)
                .hasMessageStartingWith("truncated input: byte string needs 9223372036854775807 bytes");
        // 2^64-1 bytes: above any signed limit.
        assertThatThrownBy(() -> Codec.decode(hex("ffffffffffffffff"), unbounded, CanonicalReader::bytes))
                .isExactlyInstanceOf(CodecException.class)
                .hasMessage("byte string length 18446744073709551615 exceeds limit 9223372036854775807");
        // 2^62 elements of 64 bytes: count * size overflows a long; must still be "truncated", not wrap to 0.
        assertThatThrownBy(() -> Codec.decode(hex("0000000000000040"), unbounded, r -> r.list(rr -> rr.fixed(64), 64)))
                .isExactlyInstanceOf(CodecException.class)
                .hasMessageStartingWith("truncated input: list of 4611686018427387904 elements needs 9223372036854775807 bytes");
        assertThatThrownBy(() -> Codec.decode(hex("ffffffffffffffff"), unbounded, r -> r.list(CanonicalReader::u8, 1)))
                .isExactlyInstanceOf(CodecException.class)
                .hasMessage("list length 18446744073709551615 exceeds limit 9223372036854775807");
    }

    @Test
    void listLimitIsCheckedBeforeElementsAreRead() {
        CodecLimits limits = new CodecLimits(16, 2);
        assertThatThrownBy(() -> Codec.decode(hex("0300000000000000" + "010203"), limits, r -> r.list(CanonicalReader::u8, 1)))
                .isExactlyInstanceOf(CodecException.class)
                .hasMessage("list length 3 exceeds limit 2");
        List<Integer> two = Codec.decode(hex("0200000000000000" + "0102"), limits, r -> r.list(CanonicalReader::u8, 1));
        assertThat(two).containsExactly(1, 2);
    }

    @Test
    void invalidUtf8IsRejected() {
        assertThatThrownBy(() -> decode("0200000000000000" + "c0af", CanonicalReader::string))
                .isExactlyInstanceOf(CodecException.class)
                .hasMessage("invalid UTF-8 string");
        // Supplementary characters are fine as 4-byte UTF-8.
        assertThat(decode("0400000000000000" + "f09f90b3", CanonicalReader::string)).isEqualTo("\uD83D\uDC33");
    }

    @Test
    void trailingBytesAreRejectedByWholeBufferDecode() {
        assertThatThrownBy(() -> decode("0100", CanonicalReader::u8))
                .isExactlyInstanceOf(CodecException.class)
                .hasMessage("trailing bytes: 1 bytes after the value");
        CanonicalReader r = new CanonicalReader(hex("0100"));
        assertThat(r.u8()).isEqualTo(1);
        assertThat(r.remaining()).isEqualTo(1);
    }

    @Test
    void limitsMustBeNonNegative() {
        assertThatThrownBy(() -> new CodecLimits(-1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CodecLimits(1, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new CanonicalReader(new byte[0]).limits()).isEqualTo(CodecLimits.DEFAULT);
    }
}
