package dev.shoal.sequencer.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.shoal.sequencer.core.codec.CanonicalWriter;
import dev.shoal.sequencer.core.codec.CodecException;
import dev.shoal.sequencer.core.codec.CodecLimits;
import dev.shoal.sequencer.core.types.Batch;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Hex;
import dev.shoal.sequencer.core.types.Signature;
import dev.shoal.sequencer.core.types.Transaction;
import dev.shoal.sequencer.core.types.Vote;
import dev.shoal.sequencer.core.validator.Message;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The wire codec: a fixed layout per kind (golden bytes), round trips of every kind, and the property
 * "decoding any bytes either fails with a CodecException or gives a message that re-encodes to exactly
 * those bytes", on random and on mutated valid encodings (seeded; the seed is printed).
 */
class WireCodecTest {
    private final WireCodec codec = WireCodec.forFrameSize(16 * 1024 * 1024);

    private static byte[] hex(String... parts) {
        return HexFormat.of().parseHex(String.join("", parts));
    }

    private void assertGolden(PeerMessage message, byte[] expected) {
        assertThat(Hex.encode(codec.encode(message))).isEqualTo(Hex.encode(expected));
        assertThat(codec.decode(expected)).isEqualTo(message);
    }

    @Test
    void goldenLayouts() {
        Digest d = Digest.of(filled(32, 0x11));
        assertGolden(new PeerMessage.RangeRequest(5, 3), hex("08", "0500000000000000", "03000000"));
        assertGolden(new PeerMessage.BatchRequest(List.of(d)), hex("06", "0100000000000000", "11".repeat(32)));
        assertGolden(new PeerMessage.Consensus(new Message.CertificateRequest(List.of())), hex("04", "0000000000000000"));
        assertGolden(new PeerMessage.RangeResponse(4, 6, 9, List.of()),
                hex("09", "0400000000000000", "0600000000000000", "0900000000000000", "0000000000000000"));
        assertGolden(new PeerMessage.CheckpointRequest(), hex("0a"));
        assertGolden(new PeerMessage.CheckpointOffer(2, 9, new byte[] {'c', 'k'}),
                hex("0b", "0200000000000000", "0900000000000000", "0200000000000000", "636b"));
        assertGolden(new PeerMessage.StateRequest(5), hex("0c", "0500000000000000"));
        assertGolden(new PeerMessage.StateVouch(5, java.util.Optional.of(d)), hex("0d", "0500000000000000", "01", "11".repeat(32)));
        assertGolden(new PeerMessage.StateVouch(5, java.util.Optional.empty()), hex("0d", "0500000000000000", "00"));
        assertGolden(new PeerMessage.WindowRequest(5, 3, 7), hex("0e", "0500000000000000", "0300000000000000", "07000000"));
        assertGolden(new PeerMessage.WindowPage(5, true, 9, 2, 8, List.of(new PeerMessage.WindowEntry(4, d))),
                hex("0f", "0500000000000000", "01", "0900000000000000", "0200000000000000", "0800000000000000",
                        "0100000000000000", "0400000000000000", "11".repeat(32)));
        assertGolden(new PeerMessage.SafeRoundRequest(), hex("10"));
        assertGolden(new PeerMessage.SafeRoundAnswer(java.util.Optional.empty()), hex("11", "00"));
        assertGolden(PeerMessage.WindowPage.unavailable(5),
                hex("0f", "0500000000000000", "00", "0000000000000000", "0100000000000000", "0100000000000000", "0000000000000000"));
        Batch b = new Batch(1, 0, List.of(Transaction.of(new byte[] {'a', 'b'})));
        assertGolden(new PeerMessage.BatchPush(b),
                hex("05", "01000000", "00000000", "0100000000000000", "0200000000000000", "6162"));
        assertGolden(new PeerMessage.BatchResponse(List.of(b)),
                hex("07", "0100000000000000", "01000000", "00000000", "0100000000000000", "0200000000000000", "6162"));
        Vote v = new Vote(d, 2, 7, 1, 3, Signature.of(filled(64, 0x22)));
        assertGolden(new PeerMessage.Consensus(new Message.VoteMessage(v)),
                hex("02", "11".repeat(32), "0200000000000000", "0700000000000000", "01000000", "03000000", "22".repeat(64)));
    }

    @Test
    void headerAndCertificateAreTheTagThenTheCoreEncoding() {
        Random random = new Random(1);
        NetFixtures.Members m = NetFixtures.committee(4, 0, random);
        var h = NetFixtures.header(m, 2, 5, random);
        var c = NetFixtures.certificate(m, 1, 4, random);
        assertGolden(new PeerMessage.Consensus(new Message.HeaderMessage(h)), concat(new byte[] {1}, h.toBytes()));
        assertGolden(new PeerMessage.Consensus(new Message.CertificateMessage(c)), concat(new byte[] {3}, c.toBytes()));
    }

    @Test
    void everyKindRoundTrips() {
        long seed = NetFixtures.seed();
        Random random = new Random(seed);
        NetFixtures.Members m = NetFixtures.committee(4, 2, random);
        for (int i = 0; i < 20; i++) {
            for (PeerMessage msg : NetFixtures.everyKind(m, i % 4, random)) {
                byte[] bytes = codec.encode(msg);
                PeerMessage back = codec.decode(bytes);
                assertThat(back).as("seed %d", seed).isEqualTo(msg);
                assertThat(codec.encode(back)).as("seed %d", seed).isEqualTo(bytes);
            }
        }
    }

    @Test
    void malformedInputFailsWithCodecException() {
        assertRejected(new byte[0], "truncated");
        assertRejected(hex("00"), "unknown peer message tag 0");
        assertRejected(hex("12"), "unknown peer message tag 18");
        assertRejected(hex("11", "02"), "presence flag");
        assertRejected(hex("0e", "0500000000000000", "0000000000000000", "00000000"), "maxEntries");
        assertRejected(hex("0f", "0500000000000000", "01", "0100000000000000", "0200000000000000", "0100000000000000",
                "0000000000000000"), "positions out of range");
        assertRejected(hex("0d", "0500000000000000", "02"), "presence flag");
        assertRejected(hex("0c", "0000000000000000"), "commitIndex must be at least 1");
        assertRejected(hex("ff"), "unknown peer message tag 255");
        assertRejected(hex("08", "0500000000000000", "03000000", "00"), "trailing bytes");
        assertRejected(hex("08", "0500000000000000", "00000000"), "maxRounds");
        assertRejected(hex("08", "00000000000000ff", "01000000"), "out of range");
        assertRejected(hex("09", "0600000000000000", "0400000000000000", "0900000000000000", "0000000000000000"),
                "reversed");
        // A count far beyond the bytes present is refused before allocating anything.
        assertRejected(hex("06", "000000000000ff00"), "exceeds limit");
        assertRejected(hex("06", "a086010000000000"), "truncated"); // 100,000 digests announced, none present
        assertRejected(hex("07", "ffffffffffffffff"), "exceeds limit");
        assertRejected(hex("05", "01000000", "00000000", "0100000000000000", "ffffffffffffff7f"), "exceeds limit");
    }

    @Test
    void listLimitsComeFromTheCodecLimits() {
        WireCodec small = new WireCodec(new CodecLimits(1024, 2));
        List<Digest> three = List.of(Digest.of(filled(32, 1)), Digest.of(filled(32, 2)), Digest.of(filled(32, 3)));
        byte[] bytes = codec.encode(new PeerMessage.BatchRequest(three));
        assertThat(codec.decode(bytes)).isEqualTo(new PeerMessage.BatchRequest(three));
        assertThatThrownBy(() -> small.decode(bytes)).isInstanceOf(CodecException.class).hasMessageContaining("exceeds limit");
    }

    private void assertRejected(byte[] bytes, String reason) {
        assertThatThrownBy(() -> codec.decode(bytes)).isInstanceOf(CodecException.class).hasMessageContaining(reason);
    }

    @Test
    void anyBytesFailCleanlyOrReEncodeIdentically() {
        long seed = NetFixtures.seed();
        Random random = new Random(seed);
        NetFixtures.Members m = NetFixtures.committee(4, 1, random);
        List<byte[]> valid = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            for (PeerMessage msg : NetFixtures.everyKind(m, i % 4, random)) valid.add(codec.encode(msg));
        }
        int decodedMutants = 0;
        for (int trial = 0; trial < 20_000; trial++) {
            byte[] input;
            if (trial % 5 == 0) {
                input = new byte[random.nextInt(200)];
                random.nextBytes(input);
                if (input.length > 0) input[0] = (byte) (1 + random.nextInt(9)); // reach past the tag
            } else {
                input = mutate(valid.get(random.nextInt(valid.size())), random);
            }
            if (checkOneValueOneEncoding(input, seed, trial)) decodedMutants++;
        }
        System.out.println("WireCodecTest seed " + seed + ": " + decodedMutants + " of 20000 inputs decoded");
    }

    /** True when the input decoded (then it must re-encode identically); false when it failed with a CodecException. */
    private boolean checkOneValueOneEncoding(byte[] input, long seed, int trial) {
        PeerMessage decoded;
        try {
            decoded = codec.decode(input);
        } catch (CodecException e) {
            return false;
        } catch (RuntimeException | Error e) {
            fail("seed " + seed + " trial " + trial + ": decoding " + Hex.encode(input) + " threw " + e);
            return false;
        }
        if (!Arrays.equals(codec.encode(decoded), input)) {
            fail("seed " + seed + " trial " + trial + ": " + Hex.encode(input) + " decoded to a message that encodes differently");
        }
        return true;
    }

    /** One to three random edits: flip, overwrite with an extreme byte, insert, delete, truncate, extend. */
    private static byte[] mutate(byte[] original, Random random) {
        byte[] b = original.clone();
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            if (b.length == 0) return new byte[] {(byte) random.nextInt(256)};
            int at = random.nextInt(b.length);
            switch (random.nextInt(6)) {
                case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> b[at] = (byte) (random.nextBoolean() ? 0xFF : 0x00);
                case 2 -> {
                    byte[] n = new byte[b.length + 1];
                    System.arraycopy(b, 0, n, 0, at);
                    n[at] = (byte) random.nextInt(256);
                    System.arraycopy(b, at, n, at + 1, b.length - at);
                    b = n;
                }
                case 3 -> {
                    byte[] n = new byte[b.length - 1];
                    System.arraycopy(b, 0, n, 0, at);
                    System.arraycopy(b, at + 1, n, at, b.length - at - 1);
                    b = n;
                }
                case 4 -> b = Arrays.copyOf(b, at);
                default -> b = concat(b, new CanonicalWriter().u64(random.nextLong()).toByteArray());
            }
        }
        return b;
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
