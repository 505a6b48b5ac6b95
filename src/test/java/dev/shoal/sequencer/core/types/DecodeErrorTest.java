package dev.shoal.sequencer.core.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.sequencer.core.codec.CanonicalWriter;
import dev.shoal.sequencer.core.codec.CodecException;
import dev.shoal.sequencer.core.codec.CodecLimits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way the decoders of the core types reject bytes: each must end in a
 * {@link CodecException} whose message says what is wrong, never in another exception
 * (OutOfMemoryError, NegativeArraySizeException, IllegalArgumentException...).
 */
class DecodeErrorTest {
    private static final long U64_MAX = -1L; // 2^64-1 as an unsigned u64
    private static final long U64_2_63 = Long.MIN_VALUE; // 2^63

    private static byte[] bytes(Consumer<CanonicalWriter> body) {
        CanonicalWriter w = new CanonicalWriter();
        body.accept(w);
        return w.toByteArray();
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertRejects(CodecCase<?> codec, byte[] input) {
        return assertThatThrownBy(() -> codec.decode(input)).isExactlyInstanceOf(CodecException.class);
    }

    /** A valid encoding of each type: the golden fixtures, plus small and empty variants. */
    static Stream<Arguments> samples() {
        Committee committee = GoldenFixtures.committee();
        List<Arguments> out = new ArrayList<>();
        out.add(Arguments.of(CodecCase.DIGEST, GoldenFixtures.digestAbc()));
        out.add(Arguments.of(CodecCase.PUBLIC_KEY, GoldenFixtures.key(0).publicKey()));
        out.add(Arguments.of(CodecCase.SIGNATURE, GoldenFixtures.vote().signature()));
        out.add(Arguments.of(CodecCase.SIGNER_BITMAP, SignerBitmap.EMPTY));
        out.add(Arguments.of(CodecCase.SIGNER_BITMAP, SignerBitmap.of(List.of(0, 9))));
        out.add(Arguments.of(CodecCase.TRANSACTION, GoldenFixtures.transactionAbc()));
        out.add(Arguments.of(CodecCase.TRANSACTION, Transaction.of(new byte[0])));
        out.add(Arguments.of(CodecCase.BATCH, GoldenFixtures.batch()));
        out.add(Arguments.of(CodecCase.BATCH, new Batch(0, 0, List.of())));
        out.add(Arguments.of(CodecCase.HEADER, GoldenFixtures.header()));
        out.add(Arguments.of(CodecCase.VOTE, GoldenFixtures.vote()));
        out.add(Arguments.of(CodecCase.CERTIFICATE, committee.genesis().get(0)));
        out.add(Arguments.of(CodecCase.CERTIFICATE, GoldenFixtures.signedCertificate()));
        out.add(Arguments.of(CodecCase.VALIDATOR, GoldenFixtures.validator(0)));
        out.add(Arguments.of(CodecCase.VALIDATOR, new Validator("ü", GoldenFixtures.key(1).publicKey(), 1, "")));
        out.add(Arguments.of(CodecCase.COMMITTEE, committee));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("samples")
    void everyProperPrefixOfAValidEncodingIsTruncated(CodecCase<?> codec, Object value) {
        byte[] full = codec.encodeUnchecked(value);
        assertThat(codec.reencode(full)).isEqualTo(full);
        for (int len = 0; len < full.length; len++) {
            byte[] prefix = Arrays.copyOf(full, len);
            assertRejects(codec, prefix)
                    .as("prefix of %d of %d bytes", len, full.length)
                    .hasMessageStartingWith("truncated input: ");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("samples")
    void trailingBytesAreRejected(CodecCase<?> codec, Object value) {
        byte[] full = codec.encodeUnchecked(value);
        byte[] longer = Arrays.copyOf(full, full.length + 3);
        assertRejects(codec, longer).hasMessage("trailing bytes: 3 bytes after the value");
    }

    @Nested
    class LengthPrefixes {
        // Byte-string prefixes: the payload of a transaction, a signer bitmap, a validator's name and address.
        static Stream<Arguments> byteStrings() {
            return Stream.of(
                    Arguments.of(CodecCase.TRANSACTION, bytes(w -> {})),
                    Arguments.of(CodecCase.SIGNER_BITMAP, bytes(w -> {})),
                    Arguments.of(CodecCase.VALIDATOR, bytes(w -> {})),
                    Arguments.of(CodecCase.VALIDATOR, bytes(w -> w.string("v").fixed(new byte[32]).u64(1))),
                    Arguments.of(CodecCase.CERTIFICATE, bytes(w -> GoldenFixtures.header().encode(w))));
        }

        @ParameterizedTest(name = "{0} at offset {1}")
        @MethodSource("byteStrings")
        void byteStringLengthAboveTheLimitIsRejectedBeforeAllocating(CodecCase<?> codec, byte[] before) {
            long limit = CodecLimits.DEFAULT.maxBytesLength();
            for (long len : new long[] {U64_MAX, U64_2_63, Long.MAX_VALUE, 1L << 32, Integer.MAX_VALUE + 1L, limit + 1}) {
                byte[] input = concat(before, bytes(w -> w.u64(len)));
                assertRejects(codec, input)
                        .hasMessage("byte string length " + Long.toUnsignedString(len) + " exceeds limit " + limit);
            }
        }

        @ParameterizedTest(name = "{0} at offset {1}")
        @MethodSource("byteStrings")
        void byteStringLengthWithinTheLimitButBeyondTheInputIsTruncated(CodecCase<?> codec, byte[] before) {
            long limit = CodecLimits.DEFAULT.maxBytesLength();
            byte[] input = concat(before, bytes(w -> w.u64(limit).fixed(new byte[10])));
            assertRejects(codec, input).hasMessageStartingWith("truncated input: byte string needs " + limit + " bytes");
        }

        @Test
        void aCustomByteStringLimitIsEnforced() {
            CodecLimits small = new CodecLimits(3, 100);
            byte[] four = bytes(w -> w.bytes(new byte[] {1, 2, 3, 4}));
            assertThatThrownBy(() -> CodecCase.TRANSACTION.decode(four, small))
                    .isExactlyInstanceOf(CodecException.class)
                    .hasMessage("byte string length 4 exceeds limit 3");
            byte[] three = bytes(w -> w.bytes(new byte[] {1, 2, 3}));
            assertThat(CodecCase.TRANSACTION.decode(three, small).payload()).containsExactly(1, 2, 3);
        }

        // List counts: batch transactions, header batch digests and parents, certificate signatures, committee validators.
        static Stream<Arguments> lists() {
            Header genesisHeader = new Header(0, 0, 0, 0, List.of(), List.of());
            return Stream.of(
                    Arguments.of(CodecCase.BATCH, bytes(w -> w.u32(0).u32(0))),
                    Arguments.of(CodecCase.HEADER, bytes(w -> w.u64(0).u64(1).u32(0).u64(0))),
                    Arguments.of(CodecCase.HEADER, bytes(w -> w.u64(0).u64(1).u32(0).u64(0).u64(0))),
                    Arguments.of(CodecCase.CERTIFICATE, bytes(w -> {
                        genesisHeader.encode(w);
                        SignerBitmap.EMPTY.encode(w);
                    })),
                    Arguments.of(CodecCase.COMMITTEE, bytes(w -> w.u64(0))));
        }

        @ParameterizedTest(name = "{0} at offset {1}")
        @MethodSource("lists")
        void listCountAboveTheLimitIsRejectedBeforeAllocating(CodecCase<?> codec, byte[] before) {
            long limit = CodecLimits.DEFAULT.maxListLength();
            for (long count : new long[] {U64_MAX, U64_2_63, Long.MAX_VALUE, 1L << 32, limit + 1}) {
                byte[] input = concat(before, bytes(w -> w.u64(count)));
                assertRejects(codec, input)
                        .hasMessage("list length " + Long.toUnsignedString(count) + " exceeds limit " + limit);
            }
        }

        @ParameterizedTest(name = "{0} at offset {1}")
        @MethodSource("lists")
        void listCountWithinTheLimitButBeyondTheInputIsTruncated(CodecCase<?> codec, byte[] before) {
            long limit = CodecLimits.DEFAULT.maxListLength();
            byte[] input = concat(before, bytes(w -> w.u64(limit).fixed(new byte[100])));
            assertRejects(codec, input).hasMessageStartingWith("truncated input: list of " + limit + " elements");
        }

        @Test
        void aCustomListLimitIsEnforced() {
            CodecLimits small = new CodecLimits(100, 1);
            byte[] two = GoldenFixtures.batch().toBytes();
            assertThatThrownBy(() -> CodecCase.BATCH.decode(two, small))
                    .isExactlyInstanceOf(CodecException.class)
                    .hasMessage("list length 2 exceeds limit 1");
        }
    }

    @Nested
    class IntegerRanges {
        @Test
        void u64FieldsAbove2To63Minus1AreRejected() {
            // Header: epoch, round, timestamp.
            assertRejects(CodecCase.HEADER, bytes(w -> w.u64(U64_2_63)))
                    .hasMessage("epoch out of range (above 2^63-1)");
            assertRejects(CodecCase.HEADER, bytes(w -> w.u64(0).u64(U64_MAX)))
                    .hasMessage("round out of range (above 2^63-1)");
            assertRejects(CodecCase.HEADER, bytes(w -> w.u64(0).u64(0).u32(0).u64(U64_2_63)))
                    .hasMessage("timestamp out of range (above 2^63-1)");
            // Vote: epoch, round.
            byte[] digest = new byte[32];
            assertRejects(CodecCase.VOTE, bytes(w -> w.fixed(digest).u64(U64_MAX)))
                    .hasMessage("epoch out of range (above 2^63-1)");
            assertRejects(CodecCase.VOTE, bytes(w -> w.fixed(digest).u64(0).u64(U64_2_63)))
                    .hasMessage("round out of range (above 2^63-1)");
            // Committee epoch and validator stake.
            assertRejects(CodecCase.COMMITTEE, bytes(w -> w.u64(U64_MAX)))
                    .hasMessage("epoch out of range (above 2^63-1)");
            assertRejects(CodecCase.VALIDATOR, bytes(w -> w.string("v").fixed(new byte[32]).u64(U64_2_63)))
                    .hasMessage("stake out of range (above 2^63-1)");
        }

        @Test
        void u64FieldsAt2To63Minus1AreAccepted() {
            long max = Long.MAX_VALUE;
            Header h = new Header(max, max, 0, max, List.of(), List.of());
            assertThat(CodecCase.HEADER.decode(h.toBytes())).isEqualTo(h);
        }

        @Test
        void u32IndexesAbove2To31Minus1AreRejected() {
            long big = 0x8000_0000L;
            assertRejects(CodecCase.BATCH, bytes(w -> w.u32(big))).hasMessage("batch author out of range: 2147483648");
            assertRejects(CodecCase.BATCH, bytes(w -> w.u32(0).u32(0xFFFF_FFFFL)))
                    .hasMessage("batch worker out of range: 4294967295");
            assertRejects(CodecCase.HEADER, bytes(w -> w.u64(0).u64(0).u32(big))).hasMessage("author out of range: 2147483648");
            byte[] digest = new byte[32];
            assertRejects(CodecCase.VOTE, bytes(w -> w.fixed(digest).u64(0).u64(0).u32(big)))
                    .hasMessage("header author out of range: 2147483648");
            assertRejects(CodecCase.VOTE, bytes(w -> w.fixed(digest).u64(0).u64(0).u32(0).u32(big)))
                    .hasMessage("voter out of range: 2147483648");
        }
    }

    @Nested
    class Strings {
        static Stream<Arguments> malformedUtf8() {
            return Stream.of(
                    Arguments.of("lone continuation byte", new byte[] {(byte) 0x80}),
                    Arguments.of("0xFF", new byte[] {(byte) 0xFF}),
                    Arguments.of("overlong NUL", new byte[] {(byte) 0xC0, (byte) 0x80}),
                    Arguments.of("overlong slash", new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}),
                    Arguments.of("encoded surrogate", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}),
                    Arguments.of("above U+10FFFF", new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}),
                    Arguments.of("truncated sequence", new byte[] {'v', (byte) 0xE2, (byte) 0x82}));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("malformedUtf8")
        void validatorNameAndAddressMustBeUtf8(String what, byte[] bad) {
            byte[] key = new byte[32];
            assertRejects(CodecCase.VALIDATOR, bytes(w -> w.bytes(bad).fixed(key).u64(1).string("")))
                    .hasMessage("invalid UTF-8 string");
            assertRejects(CodecCase.VALIDATOR, bytes(w -> w.string("v").fixed(key).u64(1).bytes(bad)))
                    .hasMessage("invalid UTF-8 string");
        }

        @Test
        void validatorNameMustNotBeBlankAndStakeMustBePositive() {
            byte[] key = new byte[32];
            assertRejects(CodecCase.VALIDATOR, bytes(w -> w.string(" ").fixed(key).u64(1).string("")))
                    .hasMessage("invalid validator: validator name is missing");
            assertRejects(CodecCase.VALIDATOR, bytes(w -> w.string("v").fixed(key).u64(0).string("")))
                    .hasMessage("invalid validator: stake 0, must be >= 1");
        }
    }

    @Nested
    class SignerBitmaps {
        @Test
        void aTrailingZeroByteIsNotCanonical() {
            assertRejects(CodecCase.SIGNER_BITMAP, bytes(w -> w.bytes(new byte[] {0x0d, 0})))
                    .hasMessage("signer bitmap is not canonical: trailing zero byte");
            assertRejects(CodecCase.SIGNER_BITMAP, bytes(w -> w.bytes(new byte[] {0})))
                    .hasMessage("signer bitmap is not canonical: trailing zero byte");
        }

        @Test
        void aNonCanonicalBitmapInsideACertificateIsRejected() {
            Certificate cert = GoldenFixtures.signedCertificate();
            byte[] input = bytes(w -> {
                cert.header().encode(w);
                w.bytes(new byte[] {0x0d, 0});
                w.list(cert.signatures(), (ww, s) -> s.encode(ww));
            });
            assertRejects(CodecCase.CERTIFICATE, input).hasMessage("signer bitmap is not canonical: trailing zero byte");
        }
    }

    @Nested
    class Headers {
        private final Digest low = Digest.fromHex("01".repeat(32));
        private final Digest high = Digest.fromHex("ff".repeat(32));

        private byte[] header(List<Digest> batches, List<Digest> parents) {
            return bytes(w -> w.u64(0).u64(1).u32(0).u64(0)
                    .list(batches, (ww, d) -> d.encode(ww))
                    .list(parents, (ww, d) -> d.encode(ww)));
        }

        @Test
        void parentsMustBeSortedAscending() {
            assertThat(CodecCase.HEADER.decode(header(List.of(), List.of(low, high))).parents()).containsExactly(low, high);
            assertRejects(CodecCase.HEADER, header(List.of(), List.of(high, low)))
                    .hasMessage("invalid header: header parents must be sorted ascending and unique");
        }

        @Test
        void parentsMustBeUnique() {
            assertRejects(CodecCase.HEADER, header(List.of(), List.of(low, low)))
                    .hasMessage("invalid header: header parents must be sorted ascending and unique");
        }

        @Test
        void batchDigestsMustBeUnique() {
            assertThat(CodecCase.HEADER.decode(header(List.of(high, low), List.of())).batchDigests()).containsExactly(high, low);
            assertRejects(CodecCase.HEADER, header(List.of(low, low), List.of()))
                    .hasMessage("invalid header: header references a batch twice");
        }
    }

    @Nested
    class Certificates {
        @Test
        void signerCountMustMatchSignatureCount() {
            Certificate cert = GoldenFixtures.signedCertificate();
            byte[] tooFew = bytes(w -> {
                cert.header().encode(w);
                cert.signers().encode(w);
                w.list(cert.signatures().subList(0, 2), (ww, s) -> s.encode(ww));
            });
            assertRejects(CodecCase.CERTIFICATE, tooFew)
                    .hasMessage("invalid certificate: certificate has 3 signers but 2 signatures");
            byte[] tooMany = bytes(w -> {
                cert.header().encode(w);
                SignerBitmap.of(List.of(0, 2)).encode(w);
                w.list(cert.signatures(), (ww, s) -> s.encode(ww));
            });
            assertRejects(CodecCase.CERTIFICATE, tooMany)
                    .hasMessage("invalid certificate: certificate has 2 signers but 3 signatures");
        }
    }

    @Nested
    class Committees {
        private byte[] committee(long epoch, List<Validator> inOrder) {
            return bytes(w -> w.u64(epoch).list(inOrder, (ww, v) -> v.encode(ww)));
        }

        @Test
        void validatorsMustBeInCanonicalOrder() {
            List<Validator> canonical = GoldenFixtures.committee().validators();
            List<Validator> swapped = new ArrayList<>(canonical);
            swapped.set(0, canonical.get(1));
            swapped.set(1, canonical.get(0));
            assertRejects(CodecCase.COMMITTEE, committee(7, swapped))
                    .hasMessage("committee validators are not in canonical order");
        }

        @Test
        void aKeyMustNotAppearTwice() {
            Validator v = GoldenFixtures.validator(0);
            Validator sameKey = new Validator("other", v.publicKey(), 5, "");
            assertRejects(CodecCase.COMMITTEE, committee(0, List.of(v, sameKey)))
                    .hasMessageStartingWith("invalid committee: validator key " + v.publicKey().toHex() + " appears twice");
        }

        @Test
        void aCommitteeIsNotEmpty() {
            assertRejects(CodecCase.COMMITTEE, committee(0, List.of()))
                    .hasMessage("invalid committee: a committee needs at least one validator");
        }

        @Test
        void totalStakeMustFitALong() {
            Validator a = new Validator("a", GoldenFixtures.key(1).publicKey(), Long.MAX_VALUE, "");
            Validator b = new Validator("b", GoldenFixtures.key(0).publicKey(), 1, "");
            assertRejects(CodecCase.COMMITTEE, committee(0, List.of(a, b)))
                    .hasMessage("invalid committee: committee total stake exceeds 2^63-1");
        }

        @Test
        void anInvalidMemberIsACodecError() {
            byte[] input = bytes(w -> w.u64(0).u64(1).string("v").fixed(new byte[32]).u64(0).string(""));
            assertRejects(CodecCase.COMMITTEE, input).hasMessageStartingWith("invalid validator: ");
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
