package dev.shoal.sequencer.bench.checkpoint;

import dev.shoal.sequencer.checkpoint.CheckpointBody;
import dev.shoal.sequencer.checkpoint.CompressionCodec;
import dev.shoal.sequencer.core.consensus.ConsensusConfig;
import dev.shoal.sequencer.core.consensus.ConsensusState;
import dev.shoal.sequencer.core.crypto.KeyPair;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.core.types.Signature;
import dev.shoal.sequencer.core.types.SignerBitmap;
import dev.shoal.sequencer.core.types.Validator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Compression of a checkpoint body: zstd, LZ4 and deflate (and none as the baseline) on the
 * canonical body of a realistic DAG window — n = 10 validators, 50 rounds (the default GC
 * depth), every certificate with 7 real Ed25519 signatures, all previous-round parents and three
 * batch digests. Prints each codec's compressed size once; JMH measures compress and decompress time.
 *
 * <p>Run: {@code scripts/bench.sh CheckpointCodecBenchmark -f 1 -wi 2 -i 3}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CheckpointCodecBenchmark {
    @Param({"zstd", "lz4", "deflate", "none"})
    public String codec;

    private CompressionCodec compression;
    private byte[] body;
    private byte[] compressed;

    /** A window of `rounds` rounds of a 10-validator committee, deterministic. */
    public static CheckpointBody realisticBody(int validators, int rounds, long seed) {
        Random random = new Random(seed);
        List<KeyPair> keys = new ArrayList<>();
        List<Validator> members = new ArrayList<>();
        for (int i = 0; i < validators; i++) {
            KeyPair k = KeyPair.deterministic(random);
            keys.add(k);
            members.add(new Validator("v" + i, k.publicKey(), 1, "10.0.0." + i + ":9000"));
        }
        Committee committee = new Committee(0, members);
        KeyPair[] byIndex = new KeyPair[validators];
        for (KeyPair k : keys) byIndex[committee.indexOf(k.publicKey()).getAsInt()] = k;
        int quorum = (int) committee.quorumThreshold();
        List<Certificate> window = new ArrayList<>();
        List<Digest> previous = committee.genesis().stream().map(Certificate::digest).toList();
        for (int r = 1; r <= rounds; r++) {
            List<Digest> current = new ArrayList<>();
            for (int a = 0; a < validators; a++) {
                List<Digest> batches = new ArrayList<>();
                for (int b = 0; b < 3; b++) {
                    byte[] d = new byte[32];
                    random.nextBytes(d);
                    batches.add(Digest.of(d));
                }
                Header h = Header.of(0, r, a, 1_700_000_000_000L + r * 50L + a, batches, previous);
                List<Integer> signers = new ArrayList<>();
                List<Signature> sigs = new ArrayList<>();
                for (int s = 0; s < quorum; s++) {
                    int signer = (a + s) % validators;
                    signers.add(signer);
                }
                signers.sort(Integer::compare);
                for (int s : signers) sigs.add(byIndex[s].sign(h.voteMessage()));
                Certificate c = new Certificate(h, SignerBitmap.of(signers), sigs);
                window.add(c);
                current.add(c.digest());
            }
            previous = current;
        }
        ConsensusState state = ConsensusState.initial(validators, ConsensusConfig.defaults());
        return new CheckpointBody(0, rounds, state, window);
    }

    @Setup(Level.Trial)
    public void setUp() {
        compression = CompressionCodec.byLabel(codec);
        body = realisticBody(10, 50, 1).toBytes();
        compressed = compression.compress(body);
        System.out.printf("%n[checkpoint codec] %s: %d -> %d bytes (ratio %.3f)%n", codec, body.length, compressed.length,
                (double) compressed.length / body.length);
    }

    @Benchmark
    public byte[] compress() {
        return compression.compress(body);
    }

    @Benchmark
    public byte[] decompress() {
        return compression.decompress(compressed, body.length);
    }
}
