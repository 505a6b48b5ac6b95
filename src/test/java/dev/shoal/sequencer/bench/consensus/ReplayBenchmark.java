package dev.shoal.sequencer.bench.consensus;

import dev.shoal.sequencer.core.consensus.ConsensusConfig;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Recovery-style replay of a 100,000-certificate history (n = 10, 10,000 rounds, pre-generated and
 * unsigned: replay skips signature checks) through the DAG and the consensus in memory. Target:
 * at most 300 ms per replay on a 2-core machine. {@code cold} is one replay in a fresh JVM state
 * (single shot), {@code warm} the steady-state average.
 *
 * <pre>scripts/bench.sh ReplayBenchmark.cold -f 5      (no -wi/-i: they would override the single shot)
 * scripts/bench.sh ReplayBenchmark.warm -f 1</pre>
 * {@link ReplayTiming} reports the cold and warm replay in replay-thread CPU time as well.
 */
@State(Scope.Benchmark)
@Fork(1)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ReplayBenchmark {
    private History history;

    @Setup(Level.Trial)
    public void setUp() {
        history = History.generate(10, 10_000, 7);
        if (history.certificates.length != 100_000) throw new IllegalStateException("history size " + history.certificates.length);
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    public long cold() {
        return history.replay(ConsensusConfig.DEFAULT);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public long warm() {
        return history.replay(ConsensusConfig.DEFAULT);
    }
}
