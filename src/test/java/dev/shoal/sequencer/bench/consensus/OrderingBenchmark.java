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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Ordering throughput: certificates per second through {@code Dag.insert} + {@code Consensus.process}
 * (with GC), for committees of 4, 10 and 50. Each invocation replays a pre-generated history of
 * about 20,000 certificates into a fresh DAG; the score is per certificate.
 *
 * <pre>scripts/bench.sh OrderingBenchmark -f 1 -wi 3 -i 5</pre>
 * (scripts/bench.sh comes from the codec-crypto branch; without it:
 * {@code ./mvnw -B -q test-compile && ./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test
 * -Dmdep.outputFile=target/bench-classpath.txt && java -cp
 * target/test-classes:target/classes:$(cat target/bench-classpath.txt) org.openjdk.jmh.Main OrderingBenchmark}).
 * {@link ReplayTiming} gives the same figure in certificates per CPU-second, which stays meaningful
 * on a loaded machine.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class OrderingBenchmark {
    static final int CERTIFICATES = 20_000;

    @Param({"4", "10", "50"})
    public int n;

    private History history;

    @Setup(Level.Trial)
    public void setUp() {
        history = History.generate(n, CERTIFICATES / n, 42);
    }

    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(CERTIFICATES)
    public long insertAndOrder() {
        return history.replay(ConsensusConfig.DEFAULT);
    }
}
