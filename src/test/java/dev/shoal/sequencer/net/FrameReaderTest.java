package dev.shoal.sequencer.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Frames survive any split of the byte stream; a too-long length prefix stops the reader at once. */
class FrameReaderTest {
    private final List<byte[]> payloads = new ArrayList<>();
    private final List<byte[]> trailers = new ArrayList<>();
    private final List<Long> oversized = new ArrayList<>();

    private FrameReader reader(int max, int trailer) {
        return new FrameReader(max, trailer, new FrameReader.Listener() {
            @Override
            public void onFrame(byte[] payload, byte[] t) {
                payloads.add(payload);
                trailers.add(t);
            }

            @Override
            public void onOversized(long length, int limit) {
                oversized.add(length);
            }
        });
    }

    @Test
    void anySplitOfTheStreamGivesTheSameFrames() {
        long seed = NetFixtures.seed();
        Random random = new Random(seed);
        for (int trial = 0; trial < 200; trial++) {
            payloads.clear();
            trailers.clear();
            List<byte[]> sent = new ArrayList<>();
            Buffer stream = Buffer.buffer();
            for (int i = 0; i < 1 + random.nextInt(10); i++) {
                byte[] p = new byte[random.nextInt(3000)];
                random.nextBytes(p);
                byte[] t = new byte[32];
                random.nextBytes(t);
                sent.add(p);
                stream.appendBuffer(FrameReader.frame(p, t));
            }
            FrameReader r = reader(4096, 32);
            int pos = 0;
            while (pos < stream.length()) {
                int n = Math.min(stream.length() - pos, 1 + random.nextInt(random.nextBoolean() ? 7 : 5000));
                r.feed(stream.getBuffer(pos, pos + n));
                pos += n;
            }
            assertThat(payloads).as("seed %d trial %d", seed, trial).hasSameSizeAs(sent);
            for (int i = 0; i < sent.size(); i++) assertThat(payloads.get(i)).isEqualTo(sent.get(i));
        }
        assertThat(oversized).isEmpty();
    }

    @Test
    void oversizedLengthIsRefusedAsSoonAsItsFourBytesArrive() {
        FrameReader r = reader(100, 0);
        r.feed(FrameReader.frame(new byte[100]));
        assertThat(payloads).hasSize(1);
        r.feed(Buffer.buffer(new byte[] {101, 0}));
        assertThat(oversized).isEmpty();
        r.feed(Buffer.buffer(new byte[] {0, 0}));
        assertThat(oversized).containsExactly(101L);
        r.feed(FrameReader.frame(new byte[1])); // stopped: nothing more is read
        assertThat(payloads).hasSize(1);
    }

    @Test
    void theLimitCanChangeBetweenFramesInTheSameChunk() {
        List<String> seen = new ArrayList<>();
        FrameReader[] holder = new FrameReader[1];
        holder[0] = new FrameReader(8, 0, new FrameReader.Listener() {
            @Override
            public void onFrame(byte[] payload, byte[] trailer) {
                seen.add(payload.length + "/" + trailer.length);
                holder[0].mode(1000, 32);
            }

            @Override
            public void onOversized(long length, int limit) {
                seen.add("oversized " + length);
            }
        });
        Buffer chunk = Buffer.buffer().appendBuffer(FrameReader.frame(new byte[8]))
                .appendBuffer(FrameReader.frame(new byte[500], new byte[32]));
        holder[0].feed(chunk);
        assertThat(seen).containsExactly("8/0", "500/32");
    }
}
